import PatrolModel

extension SchedulerState {
    /// How many sorties of other drones, launching nearest it, each blocker may trade drones with
    /// (on the benchmark days 20 did worse than 40, and 80 a little better at 50 drones for a
    /// seventh more time; docs/benchmarks.md, "Why the late days are late").
    static let tradeCandidates = 40
    /// At most this many passes of trades, each over every late occurrence, before the search's
    /// walk and after its repair: a pass only goes on while the one before kept a trade (ten
    /// passes gained about 0.1 % and took up to 1.3 s on a 50-drone day, on a loaded machine).
    static let tradePasses = 3

    /// Blocker trades (see ``tradeBlockersOnce()``), pass after pass until one keeps none, at most
    /// `passes`. Returns the trades kept.
    @discardableResult
    mutating func tradeBlockers(passes: Int = tradePasses) -> Int {
        var work = 0
        return tradeBlockers(passes: passes, work: &work)
    }

    /// Blocker trades, adding the single-drone placements they make to `work`.
    mutating func tradeBlockers(passes: Int = tradePasses, work: inout Int) -> Int {
        var kept = 0
        for _ in 0..<passes {
            let traded = tradeBlockersOnce(work: &work)
            kept += traded
            if traded == 0 { break }
        }
        return kept
    }

    /// One pass of blocker trades. Each late occurrence (costliest first) waits for the sortie its
    /// drone flies just before it, the blocker. That blocker trades drones with a sortie of another
    /// drone launching within an hour of it (each drone able to fly the other's, nearest in time
    /// first, at most ``tradeCandidates``): each is placed on the other's drone as early as it can
    /// go, the earlier due first, then the late occurrence on whichever of the two drones launches
    /// it first (any drone when neither can). The first trade that makes the three cost less is
    /// kept; nothing is dropped.
    ///
    /// On the benchmark days a late occurrence is late because a drone flies a sortie from a far
    /// hive just before it while a drone nearer that sortie's path flies one that both could fly:
    /// swapping the two shortens the blocker. The large-neighbourhood search rarely draws such a
    /// pair among the dozens of sorties launching at the same hour on 20 and 50 drones, and
    /// ejection moves one sortie at a time, so neither finds it. Returns the trades kept.
    mutating func tradeBlockersOnce() -> Int {
        var work = 0
        return tradeBlockersOnce(work: &work)
    }

    /// One pass of blocker trades, adding the single-drone placements it makes to `work`.
    mutating func tradeBlockersOnce(work: inout Int) -> Int {
        var kept = 0
        let late = occurrences.filter { isLate($0.id) }.sorted { (cost($0.id), $1.id) > (cost($1.id), $0.id) }
        for target in late where isLate(target.id) {
            let waiting = Int(droneOf[target.id])
            guard let hive = hives[waiting],
                let index = timelines[waiting].firstIndex(where: { $0.occurrence == target.id }), index > 0
            else { continue }
            let blocker = timelines[waiting][index - 1]
            guard blocker.occurrence >= 0, blocker.sortie.end + hive.turnaround > target.due else { continue }
            let first = occurrences[blocker.occurrence]
            var candidates: [(distance: Double, drone: Int, occurrence: Int)] = []
            for d in drones.indices where d != waiting && capable[first.patrol][d] {
                let line = timelines[d]
                var i = Self.firstEnding(after: blocker.sortie.start - 3600, in: line)
                while i < line.count, line[i].sortie.start < blocker.sortie.start + 3600 {
                    let other = line[i]
                    i += 1
                    guard other.occurrence >= 0, capable[occurrences[other.occurrence].patrol][waiting] else {
                        continue
                    }
                    candidates.append((abs(other.sortie.start - blocker.sortie.start), d, other.occurrence))
                }
            }
            candidates.sort { ($0.distance, $0.occurrence) < ($1.distance, $1.occurrence) }
            for candidate in candidates.prefix(Self.tradeCandidates) {
                let second = occurrences[candidate.occurrence]
                let before = cost(target.id) + cost(first.id) + cost(second.id)
                var trial = self
                trial.remove(target.id)
                trial.remove(first.id)
                trial.remove(second.id)
                let moves =
                    first.due <= second.due
                    ? [(first, candidate.drone), (second, waiting)] : [(second, waiting), (first, candidate.drone)]
                work += 4
                guard moves.allSatisfy({ trial.placeEarliest($0.0, on: [$0.1]) }) else { continue }
                if !trial.placeEarliest(target, on: [waiting, candidate.drone]) {
                    work += drones.count
                    guard case .success(let sortie) = trial.bestPlacement(target) else { continue }
                    trial.insert(sortie, occurrence: target.id)
                }
                let after = trial.cost(target.id) + trial.cost(first.id) + trial.cost(second.id)
                guard after < before - 1e-6 else { continue }
                self = trial
                kept += 1
                break
            }
        }
        return kept
    }

    /// Places `occurrence` on whichever of `candidates` launches it earliest (the first listed on a
    /// tie); returns whether one could.
    mutating func placeEarliest(_ occurrence: Occurrence, on candidates: [Int]) -> Bool {
        let latest = occurrence.due + problem.patrols[occurrence.patrol].schedule.window
        let others = nearby(occurrence)
        var best: (sortie: Sortie, drone: Int)?
        for d in candidates {
            var relevant = RelevantSorties()
            let until = min(latest, best.map { $0.sortie.start - 1e-3 } ?? latest)
            if case .success(let sortie) = place(occurrence, on: d, others: others, until: until, relevant: &relevant) {
                best = (sortie, d)
            }
        }
        guard let best else { return false }
        insert(best.sortie, on: best.drone, occurrence: occurrence.id)
        return true
    }
}

extension SchedulerState {
    /// Push insertion of `target` (unflown, or flown later than it could be) on drone `d`: for each
    /// place between two of `d`'s sorties where the one before launches no later than the target's
    /// window ends (and, for a flown target, where it could launch earlier than it does), the
    /// sorties from there on (up to two hours past the window) are taken out, the target is placed
    /// on `d` as early as it can go, and the others are put back in their order, each on `d` as
    /// early as it can go (any drone when `d` cannot take it). Kept, at the first place that works, when the
    /// day costs less and drops no more occurrences of any priority: the sorties after the target
    /// are delayed within their windows to make room, as a routing solver inserts into a route.
    mutating func pushInsert(_ target: Occurrence, on d: Int, unscheduled: inout [Int: Unscheduled.Reason]) -> Bool {
        let latest = target.due + problem.patrols[target.patrol].schedule.window
        let line = timelines[d]
        for i in 0...line.count {
            if i < line.count, line[i].sortie.start < target.due - 3600 { continue }
            if i > 0, line[i - 1].sortie.start > latest { break }
            // A flown target gains only where it could launch earlier than it does.
            if droneOf[target.id] >= 0, let hive = hives[d] {
                let free = i > 0 ? line[i - 1].sortie.end + hive.turnaround : -Double.infinity
                if max(target.due, notBefore, free) >= startOf[target.id] - 1e-6 { continue }
            }
            let tail = line[i...].filter {
                $0.occurrence >= 0 && $0.occurrence != target.id && $0.sortie.start < latest + 7200
            }.map(\.occurrence)
            var trial = self
            trial.remove(target.id)
            for id in tail { trial.remove(id) }
            guard trial.placeEarliest(target, on: [d]) else { continue }
            var reasons: [Int: Unscheduled.Reason] = [:]
            for id in tail where !trial.placeEarliest(occurrences[id], on: [d]) {
                switch trial.bestPlacement(occurrences[id]) {
                case .success(let again): trial.insert(again, occurrence: id)
                case .failure(let failure): reasons[id] = failure.reason
                }
            }
            if take(trial, target: target.id, others: tail, reasons: reasons, unscheduled: &unscheduled) { return true }
        }
        return false
    }
}

extension SchedulerState {
    /// For each late occurrence, costliest first, a push insertion on its own drone
    /// (``pushInsert(_:on:unscheduled:)``): an earlier place between two of the drone's sorties,
    /// the later ones delayed within their windows (or moved to another drone when that drone
    /// cannot take them). Kept when the day costs less and drops nothing. Only the late occurrence's
    /// own drone: on every capable drone it gained a little more on the benchmark days (v20-s1,
    /// some 50-drone days) for up to 0.3 s more on a 50-drone day. Returns the pushes kept.
    mutating func pushLate() -> Int {
        var kept = 0
        var unscheduled: [Int: Unscheduled.Reason] = [:]
        let late = occurrences.filter { isLate($0.id) }.sorted { (cost($0.id), $1.id) > (cost($1.id), $0.id) }
        for target in late
        where isLate(target.id) && pushInsert(target, on: Int(droneOf[target.id]), unscheduled: &unscheduled) {
            kept += 1
        }
        return kept
    }
}
