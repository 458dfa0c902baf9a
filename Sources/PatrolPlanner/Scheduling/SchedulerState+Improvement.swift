import PatrolModel

extension SchedulerState {
    /// Largest occurrences × drones for which the block rebuild and two-step ejection chains run.
    static let rebuildBudget = 20_000

    /// The local improvement step after the greedy pass, up to three passes, each made of:
    ///
    /// 1. re-placement: every late sortie is taken out and placed again; a strictly earlier launch
    ///    is kept;
    /// 2. retry: every unscheduled occurrence is tried again;
    /// 3. ejection: every unscheduled or late occurrence tries, in turn, each non-fixed sortie near
    ///    it in time: take that sortie out, place the occurrence, place the sortie again (or leave
    ///    it unscheduled, only if its priority is not higher); the first trial that lowers the
    ///    cost is kept. Cost: 3600 per priority point unscheduled, plus the seconds each launch is late;
    /// 4. rebuild: ``rebuildBlocks(unscheduled:)``, ruin and recreate over two-hour blocks,
    ///    when occurrences × drones is at most ``rebuildBudget`` (it is the slowest step).
    mutating func improve(unscheduled: inout [Int: Unscheduled.Reason]) {
        for _ in 0..<3 {
            var changed = false
            for occurrence in occurrences where isLate(occurrence.id) {
                guard let sortie = remove(occurrence.id) else { continue }
                if case .success(let better) = bestPlacement(occurrence), better.start < sortie.start - 1e-6 {
                    insert(better, occurrence: occurrence.id)
                    changed = true
                } else {
                    insert(sortie, occurrence: occurrence.id)
                }
            }
            for occurrence in occurrences where unscheduled[occurrence.id] != nil {
                if case .success(let sortie) = bestPlacement(occurrence) {
                    insert(sortie, occurrence: occurrence.id)
                    unscheduled[occurrence.id] = nil
                    changed = true
                }
            }
            let late = occurrences.filter { isLate($0.id) }.sorted {
                (cost($0.id), problem.patrols[$1.patrol].id, $1.due) > (
                    cost($1.id), problem.patrols[$0.patrol].id, $0.due
                )
            }
            for target in occurrences.filter({ unscheduled[$0.id] != nil }) + late {
                if eject(for: target, unscheduled: &unscheduled) != nil { changed = true }
            }
            // A deterministic work budget: rebuilding blocks costs occurrences × drones placements.
            if occurrences.count * drones.count <= Self.rebuildBudget, rebuildBlocks(unscheduled: &unscheduled) {
                changed = true
            }
            if !changed { break }
        }
    }

    /// Tries to make room for `target` by ejecting one sortie in its way and placing that one
    /// again, if need be (on small days) by ejecting a third; returns the occurrence ejected when
    /// the day improved. No occurrence of priority above `dropLimit` is left unscheduled, and none
    /// of `excluded` is ejected.
    mutating func eject(
        for target: Occurrence, unscheduled: inout [Int: Unscheduled.Reason], depth: Int = 1, dropLimit: Int? = nil,
        excluded: [Int] = []
    ) -> Occurrence? {
        let patrol = problem.patrols[target.patrol]
        let limit = dropLimit ?? target.priority
        let from = target.due - 4 * 3600
        let to = target.due + patrol.schedule.window + 4 * 3600
        // Sorties of drones that could fly the target, nearest in time first.
        var blockers: [(distance: Double, drone: String, occurrence: Int)] = []
        for d in drones.indices where capable[target.patrol][d] {
            let timeline = timelines[d]
            var i = Self.firstEnding(after: from, in: timeline)
            while i < timeline.count, timeline[i].sortie.start < to {
                let placed = timeline[i]
                i += 1
                guard placed.occurrence >= 0, placed.occurrence != target.id, !excluded.contains(placed.occurrence)
                else { continue }
                blockers.append((abs(placed.sortie.start - target.due), drones[d].id, placed.occurrence))
            }
        }
        blockers.sort { ($0.distance, $0.drone) < ($1.distance, $1.drone) }
        let chains = depth < 2 && occurrences.count * drones.count <= Self.rebuildBudget
        for blocker in blockers.prefix(6) {
            let ejected = occurrences[blocker.occurrence]
            var trial = self
            trial.remove(target.id)
            trial.remove(ejected.id)
            guard case .success(let placed) = trial.bestPlacement(target) else { continue }
            trial.insert(placed, occurrence: target.id)
            var changes = unscheduled
            changes[target.id] = nil
            var involved = [target.id, ejected.id]
            switch trial.bestPlacement(ejected) {
            case .success(let again):
                trial.insert(again, occurrence: ejected.id)
                changes[ejected.id] = nil
            case .failure(let failure):
                changes[ejected.id] = failure.reason
                // Make room for the ejected one in turn, by ejecting a third.
                if chains {
                    var nested = trial
                    var nestedChanges = changes
                    if let third = nested.eject(
                        for: ejected, unscheduled: &nestedChanges, depth: depth + 1, dropLimit: limit,
                        excluded: excluded + [target.id])
                    {
                        trial = nested
                        changes = nestedChanges
                        involved.append(third.id)
                    }
                }
                // Never drop an occurrence of higher priority to make room.
                guard changes[ejected.id] == nil || ejected.priority <= limit else { continue }
            }
            let before = involved.map(cost).reduce(0, +)
            guard involved.map(trial.cost).reduce(0, +) < before - 1e-6 else { continue }
            self = trial
            unscheduled = changes
            return ejected
        }
        return nil
    }
}
