extension Sortie {
    /// A sortie from its parts: for callers outside the scheduler that judge airspace with
    /// ``conflicts(with:buffer:vertical:)`` (the coordinator's live re-plans).
    public init(
        patrol: String, due: Double, drone: String, hive: String, start: Double, end: Double, resumeFrom: Int = 0,
        profile: SortieProfile, priority: Int
    ) {
        self.init(
            patrol: patrol, due: due, drone: drone, hive: hive, start: start, end: end, resumeFrom: resumeFrom,
            lengthMetres: profile.length, energyWh: profile.energyWh, chargeBeforeWh: 0, chargeAfterWh: 0,
            priority: priority, bounds: profile.bounds, lowest: profile.lowest, highest: profile.highest)
    }
}
