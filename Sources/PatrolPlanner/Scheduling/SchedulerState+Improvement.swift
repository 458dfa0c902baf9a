import PatrolModel

extension SchedulerState {
    /// Largest occurrences × drones for which the block rebuild runs.
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
    /// 4. rebuild: ``rebuildBlocks(_:unscheduled:fixed:)``, ruin and recreate over two-hour blocks,
    ///    when occurrences × drones is at most ``rebuildBudget`` (it is the slowest step).
    mutating func improve(
        _ occurrences: [Occurrence], unscheduled: inout [Occurrence: Unscheduled.Reason], fixed: Set<OccurrenceKey>
    ) {
        var byKey: [OccurrenceKey: Occurrence] = [:]
        for occurrence in occurrences { byKey[occurrence.key(problem)] = occurrence }
        for _ in 0..<3 {
            var changed = false
            for index in sorties.indices {
                let sortie = sorties[index]
                guard !fixed.contains(sortie.key), sortie.start > max(sortie.due, notBefore) + 1e-6,
                    let occurrence = byKey[sortie.key]
                else { continue }
                sorties.remove(at: index)
                if case .success(let better) = bestPlacement(occurrence), better.start < sortie.start - 1e-6 {
                    sorties.insert(better, at: index)
                    changed = true
                } else {
                    sorties.insert(sortie, at: index)
                }
            }
            for occurrence in occurrences where unscheduled[occurrence] != nil {
                if case .success(let sortie) = bestPlacement(occurrence) {
                    sorties.append(sortie)
                    unscheduled[occurrence] = nil
                    changed = true
                }
            }
            let late = sorties.filter { !fixed.contains($0.key) && $0.start > max($0.due, notBefore) + 1e-6 }
                .sorted { ($0.start - $0.due, $1.patrol, $1.due) > ($1.start - $1.due, $0.patrol, $0.due) }
                .compactMap { byKey[$0.key] }
            for target in occurrences.filter({ unscheduled[$0] != nil }) + late {
                if eject(for: target, byKey: byKey, unscheduled: &unscheduled, fixed: fixed) != nil { changed = true }
            }
            // A deterministic work budget: rebuilding blocks costs occurrences × drones placements.
            if occurrences.count * problem.fleet.drones.count <= Self.rebuildBudget,
                rebuildBlocks(occurrences, unscheduled: &unscheduled, fixed: fixed)
            {
                changed = true
            }
            if !changed { break }
        }
    }

    /// The cost of an occurrence's outcome: its lateness, or 3600 per priority point if not flown.
    func cost(_ occurrence: Occurrence) -> Double {
        // Due time first: a cheap comparison before the patrol id's.
        let id = problem.patrols[occurrence.patrol].id
        guard let sortie = sorties.first(where: { $0.due == occurrence.due && $0.patrol == id }) else {
            return Double(occurrence.priority) * 3600
        }
        return sortie.start - sortie.due
    }

    /// Tries to make room for `target` by ejecting one sortie in its way and placing that one
    /// again, if need be (on small days) by ejecting a third; returns the occurrence ejected when
    /// the day improved. No occurrence of priority above `dropLimit` is left unscheduled.
    mutating func eject(
        for target: Occurrence, byKey: [OccurrenceKey: Occurrence], unscheduled: inout [Occurrence: Unscheduled.Reason],
        fixed: Set<OccurrenceKey>, depth: Int = 1, dropLimit: Int? = nil
    ) -> Occurrence? {
        let patrol = problem.patrols[target.patrol]
        let key = target.key(problem)
        let limit = dropLimit ?? target.priority
        let from = target.due - 4 * 3600
        let to = target.due + patrol.schedule.window + 4 * 3600
        // Sorties of drones that could fly the target, nearest in time first.
        let capable = Set(problem.fleet.drones.filter { patrol.schedule.payload.isSubset(of: $0.payload) }.map(\.id))
        let blockers = sorties.filter {
            $0.key != key && !fixed.contains($0.key) && capable.contains($0.drone) && $0.end > from && $0.start < to
        }
        .sorted { (abs($0.start - target.due), $0.drone) < (abs($1.start - target.due), $1.drone) }
        .prefix(6)
        let chains = depth < 2 && byKey.count * problem.fleet.drones.count <= Self.rebuildBudget
        for blocker in blockers {
            guard let ejected = byKey[blocker.key] else { continue }
            var trial = self
            trial.sorties.removeAll { $0.key == key || $0.key == blocker.key }
            guard case .success(let placed) = trial.bestPlacement(target) else { continue }
            trial.sorties.append(placed)
            var changes = unscheduled
            changes[target] = nil
            var involved = [target, ejected]
            switch trial.bestPlacement(ejected) {
            case .success(let again):
                trial.sorties.append(again)
                changes[ejected] = nil
            case .failure(let failure):
                changes[ejected] = failure.reason
                // Make room for the ejected one in turn, by ejecting a third.
                if chains {
                    var nested = trial
                    var nestedChanges = changes
                    if let third = nested.eject(
                        for: ejected, byKey: byKey.filter { $0.key != key }, unscheduled: &nestedChanges, fixed: fixed,
                        depth: depth + 1, dropLimit: limit)
                    {
                        trial = nested
                        changes = nestedChanges
                        involved.append(third)
                    }
                }
                // Never drop an occurrence of higher priority to make room.
                guard changes[ejected] == nil || ejected.priority <= limit else { continue }
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
