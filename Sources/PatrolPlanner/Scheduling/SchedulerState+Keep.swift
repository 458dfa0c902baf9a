import PatrolModel

extension SchedulerState {
    /// Places each occurrence again where an earlier plan had it: on the same drone at the same
    /// launch, when that is still feasible under this problem (outages, weather, charge, airspace
    /// and pads against what is already placed). `plans` go most preferred first; within one,
    /// sorties are kept in launch order, so each drone's charge is followed through its day as
    /// before. Returns the occurrences kept; the others are left for the greedy pass.
    mutating func keep(_ plans: [[Sortie]]) -> Set<Int> {
        guard plans.contains(where: { !$0.isEmpty }) else { return [] }
        var byKey: [OccurrenceKey: Int] = [:]
        for occurrence in occurrences { byKey[occurrence.key(problem)] = occurrence.id }
        let droneIndex = Dictionary(drones.indices.map { (drones[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        var kept: Set<Int> = []
        for sortie in plans.flatMap({ $0.sorted { ($0.start, $0.drone) < ($1.start, $1.drone) } }) {
            guard let id = byKey[sortie.key], !kept.contains(id), let d = droneIndex[sortie.drone] else { continue }
            let occurrence = occurrences[id]
            let window = problem.patrols[occurrence.patrol].schedule.window
            guard sortie.start >= max(occurrence.due, notBefore) - 1e-6, sortie.start <= occurrence.due + window + 1e-6
            else { continue }
            // Asked to launch no earlier and no later than before: the earliest feasible launch
            // from there is the old one exactly, or there is none.
            var probe = occurrence
            probe.due = sortie.start
            var relevant = RelevantSorties()
            guard
                case .success(var placed) = place(
                    probe, on: d, others: nearby(probe), until: sortie.start, relevant: &relevant)
            else { continue }
            placed.due = occurrence.due
            insert(placed, occurrence: id)
            kept.insert(id)
        }
        return kept
    }
}
