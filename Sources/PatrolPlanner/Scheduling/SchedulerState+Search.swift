import PatrolModel

/// What one run of ``SchedulerState/search(unscheduled:work:)`` did: for tests and figures.
struct SearchOutcome: Equatable {
    /// Iterations run (each one neighbourhood taken out and put back).
    var iterations = 0
    /// Work spent, in single-drone placements, and the budget it had.
    var work = 0
    var budget = 0
    /// Iterations that lowered the cost, and those that kept it (a different day of the same cost).
    var improvements = 0
    var sideways = 0
    /// Whether it stopped because nothing improved for ``SchedulerState/searchStallPerSlot`` per
    /// occurrence × drone of work (a stall), rather than at the end of its budget or with nothing late.
    var stalled = false
    /// Occurrences the final repair flew.
    var repaired = 0
    /// Blocker trades kept (``SchedulerState/tradeBlockers(passes:)``), before the walk and after the repair.
    var traded = 0
    /// Late occurrences pushed earlier on their own drone (``SchedulerState/pushLate()``), last.
    var pushed = 0
}

extension SchedulerState {
    /// The large-neighbourhood search's work budget, in single-drone placements (one
    /// ``place(_:on:others:until:relevant:)`` each): `searchWorkPerSlot` per occurrence × drone, at most
    /// `searchWorkCap` in all. Small days get many iterations, large ones few; it is a count of
    /// steps, never a clock, so the same inputs give the same schedule.
    static let searchWorkPerSlot = 200
    static let searchWorkCap = 500_000
    /// The search stops when this much work per occurrence × drone (half a full budget, before the
    /// cap) has gone by without lowering the cost: a day already as good as the search can make it
    /// (small days, mostly) does not spend the rest. On the benchmark's training days (seeds 1–3)
    /// the longest run of work between two improvements was 0.4 of a full budget.
    static let searchStallPerSlot = 100

    /// The search's work budget for a day of `slots` occurrences × drones.
    static func searchWork(slots: Int) -> Int { min(searchWorkCap, searchWorkPerSlot * slots) }

    /// Seconds added to the time distance of a sortie whose drone cannot fly the seed's patrol:
    /// the sorties in the way of the seed come out first.
    static let otherDronePenalty = 1800.0

    /// Large-neighbourhood search after ``improve(unscheduled:)``: each iteration picks one late
    /// or unscheduled occurrence (an unscheduled one three times in four while any remain, else the
    /// costlier of two late or unscheduled ones drawn at random), takes
    /// out it and up to nine (forty for an unscheduled one) of the sorties nearest it in time
    /// (of any drone, those that could fly it first), and puts them back one by one: by regret (the
    /// occurrence that loses most if it does not get its best drone goes first), by priority, or in
    /// a random order. The new arrangement is kept when it costs less, or the same (the search then
    /// walks on through days of equal cost instead of trying again from the same one), and drops no
    /// more occurrences of any priority (counted from the highest down; the same ones when it costs
    /// the same).
    ///
    /// It stops when nothing is late or unscheduled, when the work budget is spent, or when
    /// ``searchStallPerSlot`` work per occurrence × drone has gone without lowering the cost. Then
    /// ``repairUnflown(unscheduled:)`` tries once more for each occurrence still unflown, and
    /// ``tradeBlockers(passes:)`` trades the sorties late occurrences wait for (on days where the cap
    /// cuts the budget, and no `work` is given, trades also run before the walk), and
    /// ``pushLate()`` pushes each late occurrence earlier on its own drone.
    ///
    /// Choices come from a ``SeededRandom`` seeded by the day's size, so the search is
    /// deterministic.
    ///
    /// With `settle` (a re-plan that started from the day as planned), the day it ends with is the
    /// one of its last strict improvement, not a day of the same cost walked to after it: equal
    /// cost is no reason to move a sortie the operators were told about.
    @discardableResult
    mutating func search(
        unscheduled: inout [Int: Unscheduled.Reason], work: Int? = nil, settle: Bool = false
    ) -> SearchOutcome {
        // Where the cap cuts the walk's budget (20 drones and more), trades first give it a better
        // start; on smaller days the walk has budget enough, and trades before it changed its path
        // for the worse (two five-drone days no longer at OR-Tools' cost).
        let capped = Self.searchWorkPerSlot * occurrences.count * drones.count > Self.searchWorkCap
        // Their placements come out of the walk's budget, so the day's work stays within the cap.
        var tradeWork = 0
        let tradedFirst = work == nil && capped ? tradeBlockers(work: &tradeWork) : 0
        let walkWork =
            tradeWork > 0 ? max(0, Self.searchWork(slots: occurrences.count * drones.count) - tradeWork) : work
        var outcome = walk(unscheduled: &unscheduled, work: walkWork, settle: settle)
        if !unscheduled.isEmpty { outcome.repaired = repairUnflown(unscheduled: &unscheduled) }
        outcome.traded = tradedFirst + tradeBlockers()
        outcome.pushed = pushLate()
        return outcome
    }

    /// The search's iterations (see ``search(unscheduled:work:)``).
    @discardableResult
    mutating func walk(unscheduled: inout [Int: Unscheduled.Reason], work: Int?, settle: Bool = false) -> SearchOutcome
    {
        let slots = occurrences.count * drones.count
        var outcome = SearchOutcome()
        guard slots > 0 else { return outcome }
        let budget = work ?? Self.searchWork(slots: slots)
        let stall = Self.searchStallPerSlot * slots
        outcome.budget = budget
        var spent = 0
        var spentAtImprovement = 0
        var random = SeededRandom(seed: 0x5EED_0000 &+ UInt64(slots))
        func draw(_ n: Int) -> Int { Int(random.next() % UInt64(max(n, 1))) }
        var dropped = Self.drops(unscheduled.keys.map { occurrences[$0] })
        // The day of the last strict improvement (or the start), when settling.
        var settled: (state: SchedulerState, unscheduled: [Int: Unscheduled.Reason])? =
            settle ? (self, unscheduled) : nil
        search: while spent < budget {
            if spent - spentAtImprovement >= stall {
                outcome.stalled = true
                break search
            }
            let bad = occurrences.filter { unscheduled[$0.id] != nil || isLate($0.id) }
            guard !bad.isEmpty else { break search }
            outcome.iterations += 1
            // Unflown occurrences cost most: three iterations in four seed from them while any
            // remain, taking out up to 40 sorties (fitting one may need a different arrangement
            // over more of the day than nine sorties; 80 was worse on the benchmark days).
            let unflown = bad.filter { unscheduled[$0.id] != nil }
            let wide = !unflown.isEmpty && draw(4) != 0
            var seed = wide ? unflown[draw(unflown.count)] : bad[draw(bad.count)]
            // Otherwise the costlier of two drawn (a tournament): the search works more on the
            // occurrences that cost most. (The costliest of three was worse on the training days.)
            if !wide {
                let other = bad[draw(bad.count)]
                if cost(other.id) > cost(seed.id) { seed = other }
            }
            // Related occurrences: the sorties flying nearest the seed's due time, those of drones
            // that could fly the seed first.
            let from = seed.due - 3 * 3600
            let to = seed.due + problem.patrols[seed.patrol].schedule.window + 3 * 3600
            var related: [(distance: Double, occurrence: Int)] = []
            for (d, timeline) in timelines.enumerated() {
                let penalty = capable[seed.patrol][d] ? 0 : Self.otherDronePenalty
                var i = Self.firstEnding(after: from, in: timeline)
                while i < timeline.count, timeline[i].sortie.start < to {
                    let placed = timeline[i]
                    i += 1
                    guard placed.occurrence >= 0, placed.occurrence != seed.id else { continue }
                    related.append((abs(placed.sortie.start - seed.due) + penalty, placed.occurrence))
                }
            }
            related.sort { ($0.distance, $0.occurrence) < ($1.distance, $1.occurrence) }
            let k = min(related.count, 1 + draw(wide ? 39 : 9))
            var pool = Array(related.prefix(2 * k).map(\.occurrence))
            var removed = [seed.id]
            for _ in 0..<k { removed.append(pool.remove(at: draw(pool.count))) }

            var trial = self
            for id in removed { trial.remove(id) }
            var reasons: [Int: Unscheduled.Reason] = [:]
            var pending = removed
            let strategy = draw(3)
            if strategy == 1 {
                pending.sort {
                    (occurrences[$1].priority, occurrences[$0].due, $0) < (
                        occurrences[$0].priority, occurrences[$1].due, $1
                    )
                }
            } else if strategy == 2 {
                for i in pending.indices.reversed() { pending.swapAt(i, draw(i + 1)) }
            }
            while !pending.isEmpty {
                var pick = 0
                if strategy == 0, pending.count > 1 {
                    var bestRegret = -Double.infinity
                    for (index, id) in pending.enumerated() {
                        let regret = trial.regret(occurrences[id])
                        spent += drones.count
                        if regret > bestRegret { (bestRegret, pick) = (regret, index) }
                    }
                }
                let id = pending.remove(at: pick)
                spent += drones.count
                switch trial.bestPlacement(occurrences[id]) {
                case .success(let sortie): trial.insert(sortie, occurrence: id)
                case .failure(let failure): reasons[id] = failure.reason
                }
            }
            let before = removed.map { cost($0) }.reduce(0, +)
            let after = removed.map { trial.cost($0) }.reduce(0, +)
            var trialDropped = dropped
            for id in removed {
                let level = 10 - occurrences[id].priority
                guard trialDropped.indices.contains(level) else { continue }
                if unscheduled[id] != nil { trialDropped[level] -= 1 }
                if reasons[id] != nil { trialDropped[level] += 1 }
            }
            let cheaper =
                after < before - 1e-6
                && (trialDropped.lexicographicallyPrecedes(dropped) || trialDropped == dropped)
            let same = !cheaper && after < before + 1e-6 && trialDropped == dropped
            guard cheaper || same else { continue }
            self = trial
            for id in removed { unscheduled[id] = reasons[id] }
            dropped = trialDropped
            if cheaper {
                outcome.improvements += 1
                spentAtImprovement = spent
                if settle { settled = (self, unscheduled) }
            } else {
                outcome.sideways += 1
            }
        }
        if let settled, outcome.sideways > 0 { (self, unscheduled) = settled }
        outcome.work = spent
        return outcome
    }

    /// A last repair for the occurrences the search left unflown, highest priority first: for each
    /// drone that could fly one, first a push insertion (``pushInsert(_:on:unscheduled:)``: it goes
    /// between two of the drone's sorties and the later ones are delayed within their windows),
    /// else take that drone's sorties within two hours of it out, place it on that drone as early
    /// as it can go, and put the others back, on any drone, in due-time order; kept (and the next
    /// occurrence tried) when it costs less and drops no more occurrences of any priority. The
    /// search's neighbourhoods mix sorties of many drones; this one works along one drone's day.
    /// Returns how many occurrences it flew.
    mutating func repairUnflown(unscheduled: inout [Int: Unscheduled.Reason]) -> Int {
        var flown = 0
        let unflown = occurrences.filter { unscheduled[$0.id] != nil }.sorted {
            ($1.priority, $0.due, $0.id) < ($0.priority, $1.due, $1.id)
        }
        for target in unflown where unscheduled[target.id] != nil {
            let latest = target.due + problem.patrols[target.patrol].schedule.window
            for d in drones.indices where capable[target.patrol][d] && hives[d] != nil {
                // First a push insertion: the drone's later sorties delayed within their windows.
                if pushInsert(target, on: d, unscheduled: &unscheduled) {
                    flown += 1
                    break
                }
                var trial = self
                var run = timelines[d].filter {
                    $0.occurrence >= 0 && $0.sortie.start >= target.due - 7200 && $0.sortie.start < latest + 7200
                }.map(\.occurrence)
                for id in run { trial.remove(id) }
                var relevant = RelevantSorties()
                guard
                    case .success(let sortie) = trial.place(
                        target, on: d, others: trial.nearby(target), until: latest, relevant: &relevant)
                else { continue }
                trial.insert(sortie, occurrence: target.id)
                run.sort { (occurrences[$0].due, $0) < (occurrences[$1].due, $1) }
                var reasons: [Int: Unscheduled.Reason] = [:]
                for id in run {
                    switch trial.bestPlacement(occurrences[id]) {
                    case .success(let again): trial.insert(again, occurrence: id)
                    case .failure(let failure): reasons[id] = failure.reason
                    }
                }
                guard take(trial, target: target.id, others: run, reasons: reasons, unscheduled: &unscheduled) else {
                    continue
                }
                flown += 1
                break
            }
        }
        return flown
    }

    /// How much `occurrence` loses if it does not get its best drone: the second-earliest launch
    /// minus the earliest over the drones, or what dropping it costs when only one drone can take
    /// it; `-1` when none can (it goes last).
    func regret(_ occurrence: Occurrence) -> Double {
        let others = nearby(occurrence)
        let latest = occurrence.due + problem.patrols[occurrence.patrol].schedule.window
        var first = Double.infinity
        var second = Double.infinity
        var relevant = RelevantSorties()
        for d in drones.indices {
            guard
                case .success(let sortie) = place(
                    occurrence, on: d, others: others, until: min(latest, second), relevant: &relevant)
            else { continue }
            if sortie.start < first {
                second = first
                first = sortie.start
            } else if sortie.start < second {
                second = sortie.start
            }
        }
        guard first.isFinite else { return -1 }
        let drop = Double(occurrence.priority) * 3600 + (latest - occurrence.due)
        return min(second - first, drop) + Double(occurrence.priority)
    }
}

extension SchedulerState {
    /// The repair's rule for a trial that placed `target` and then `others` again (`reasons` for
    /// those it could not place): taken when it costs less over all of them and drops no more
    /// (nor more important) occurrences than before (`unscheduled` then takes `reasons`). Returns
    /// whether it was taken.
    mutating func take(
        _ trial: SchedulerState, target: Int, others: [Int], reasons: [Int: Unscheduled.Reason],
        unscheduled: inout [Int: Unscheduled.Reason]
    ) -> Bool {
        let involved = [target] + others
        let before = involved.map { cost($0) }.reduce(0, +)
        let after = involved.map { trial.cost($0) }.reduce(0, +)
        let droppedBefore = Self.drops(involved.filter { unscheduled[$0] != nil }.map { occurrences[$0] })
        let droppedAfter = Self.drops(others.filter { reasons[$0] != nil }.map { occurrences[$0] })
        guard after < before - 1e-6,
            droppedAfter.lexicographicallyPrecedes(droppedBefore) || droppedAfter == droppedBefore
        else { return false }
        self = trial
        for id in involved { unscheduled[id] = reasons[id] }
        return true
    }
}
