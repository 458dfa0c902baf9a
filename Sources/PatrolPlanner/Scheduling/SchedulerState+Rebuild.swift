import PatrolModel

extension SchedulerState {
    /// Ruin and recreate, block by block: the day is cut into two-hour blocks, and in every block
    /// with a late or unscheduled occurrence the occurrences due in it are taken out and placed
    /// again in a different order (earliest due first, then higher priority). The new arrangement
    /// is kept when it costs less and drops no more occurrences of any priority than before
    /// (counted from the highest priority down).
    ///
    /// Deterministic: blocks in time order, occurrences in a fixed order. Returns whether the day
    /// improved.
    mutating func rebuildBlocks(unscheduled: inout [Int: Unscheduled.Reason]) -> Bool {
        var changed = false
        let span = 2 * 3600.0
        for blockStart in stride(from: 0.0, to: 86_400, by: span) {
            let block = occurrences.filter { $0.due >= blockStart && $0.due < blockStart + span }
            guard block.count > 1 else { continue }
            let before = block.map { cost($0.id) }.reduce(0, +)
            guard before > 1e-6 else { continue }
            var trial = self
            for occurrence in block { trial.remove(occurrence.id) }
            var reasons: [Int: Unscheduled.Reason] = [:]
            let order = block.sorted {
                ($0.due, $1.priority, problem.patrols[$0.patrol].id) < (
                    $1.due, $0.priority, problem.patrols[$1.patrol].id
                )
            }
            for occurrence in order {
                switch trial.bestPlacement(occurrence) {
                case .success(let sortie): trial.insert(sortie, occurrence: occurrence.id)
                case .failure(let failure): reasons[occurrence.id] = failure.reason
                }
            }
            let after = block.map { trial.cost($0.id) }.reduce(0, +)
            let droppedBefore = Self.drops(block.filter { unscheduled[$0.id] != nil })
            let droppedAfter = Self.drops(block.filter { reasons[$0.id] != nil })
            guard after < before - 1e-6,
                droppedAfter.lexicographicallyPrecedes(droppedBefore) || droppedAfter == droppedBefore
            else { continue }
            self = trial
            for occurrence in block { unscheduled[occurrence.id] = reasons[occurrence.id] }
            changed = true
        }
        return changed
    }

    /// How many of `dropped` there are at each priority, from 10 down to 1.
    static func drops(_ dropped: [Occurrence]) -> [Int] {
        (1...10).reversed().map { level in dropped.filter { $0.priority == level }.count }
    }
}
