import PatrolGeo
import PatrolModel

/// Why an occurrence could not be placed on a drone; the rank picks the reason reported when no
/// drone can take it (the drone that came closest speaks).
struct PlacementFailure: Error {
    var reason: Unscheduled.Reason
    var rank: Int {
        switch reason.code {
        case "window": 4
        case "weather": 3
        case "battery": 2
        case "offline": 1
        default: 0
        }
    }
}

/// A sortie on a drone's timeline, with the index of the occurrence it flies (-1 for a fixed
/// sortie: a re-plan's past, never moved).
struct Placed {
    var sortie: Sortie
    var occurrence: Int
}

/// The sorties placed so far, and the search for the earliest feasible launch of an occurrence.
///
/// Each drone has a timeline: its sorties in launch order, with the charge at launch and on
/// landing kept up to date as sorties come and go (only the sorties after the change are
/// simulated again, and only until the charge is the same as before). A copy of the state
/// shares every timeline it does not change (copy on write), so a trial move copies only the
/// timelines it touches and two arrays of one number per occurrence.
struct SchedulerState {
    let problem: ScheduleProblem
    let notBefore: Double
    /// The occurrences to schedule; ``Occurrence/id`` is the index in this array.
    let occurrences: [Occurrence]
    let drones: [Drone]
    /// Each drone's hive and its position (`nil` when unknown), by drone index.
    let hives: [FleetHive?]
    let hiveXY: [XY?]
    /// Calm-air profiles of every patrol from the start of its path, by patrol and drone index.
    let calm: [[SortieProfile?]]
    /// The longest of each patrol's calm-air durations over the drones (from the start of its path).
    let longestCalm: [Double]
    /// Whether a drone carries a patrol's payload, and how many payloads it has to spare, by
    /// patrol and drone index.
    let capable: [[Bool]]
    let surplus: [[Int]]
    /// Each drone's sorties in launch order, by drone index.
    var timelines: [[Placed]]
    /// Fixed sorties of drones not in the fleet or without a hive: kept, and in the way of others.
    let strays: [Sortie]
    /// The drone index flying each occurrence (-1: not placed), and its launch.
    var droneOf: [Int32]
    var startOf: [Double]

    init(problem: ScheduleProblem, occurrences: [Occurrence], fixed: [Sortie], notBefore: Double) {
        self.problem = problem
        self.notBefore = notBefore
        self.occurrences = occurrences
        drones = problem.fleet.drones
        let hives = problem.fleet.drones.map { problem.fleet.hive($0.hive) }
        self.hives = hives
        let hiveXY = hives.map { $0.flatMap { problem.hivePositions[$0.id] } }
        self.hiveXY = hiveXY
        let drones = drones
        calm = problem.patrols.map { patrol in
            drones.indices.map { d in hiveXY[d].map { patrol.profile(from: $0, drone: drones[d]) } }
        }
        longestCalm = calm.map { $0.compactMap { $0?.duration }.max() ?? 0 }
        capable = problem.patrols.map { patrol in drones.map { patrol.schedule.payload.isSubset(of: $0.payload) } }
        surplus = problem.patrols.map { patrol in
            drones.map { $0.payload.subtracting(patrol.schedule.payload).count }
        }
        timelines = Array(repeating: [], count: drones.count)
        droneOf = Array(repeating: -1, count: occurrences.count)
        startOf = Array(repeating: 0, count: occurrences.count)
        let known = fixed.map { sortie in
            drones.firstIndex { $0.id == sortie.drone }.flatMap { hives[$0] == nil ? nil : $0 }
        }
        strays = zip(fixed, known).filter { $0.1 == nil }.map(\.0)
        for (sortie, d) in zip(fixed, known) {
            if let d { insert(sortie, on: d, occurrence: -1) }
        }
    }

    // MARK: Timelines

    /// Index of the first sortie of `timeline` whose landing plus `after` seconds is later than `t`
    /// (a drone's sorties never overlap, so landings are in launch order too).
    static func firstEnding(after t: Double, in timeline: [Placed], plus after: Double = 0) -> Int {
        var low = 0
        var high = timeline.count
        while low < high {
            let mid = (low + high) / 2
            if timeline[mid].sortie.end + after > t { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Places `sortie` for occurrence `occurrence` (-1: fixed) on its drone's timeline.
    mutating func insert(_ sortie: Sortie, occurrence: Int) {
        guard let d = drones.firstIndex(where: { $0.id == sortie.drone }) else { return }
        insert(sortie, on: d, occurrence: occurrence)
    }

    mutating func insert(_ sortie: Sortie, on d: Int, occurrence: Int) {
        var placed = Placed(sortie: sortie, occurrence: occurrence)
        placed.sortie.chargeBeforeWh = .nan
        var low = 0
        var high = timelines[d].count
        while low < high {
            let mid = (low + high) / 2
            if timelines[d][mid].sortie.start <= sortie.start { low = mid + 1 } else { high = mid }
        }
        timelines[d].insert(placed, at: low)
        recharge(d, from: low)
        if occurrence >= 0 {
            droneOf[occurrence] = Int32(d)
            startOf[occurrence] = sortie.start
        }
    }

    /// Takes occurrence `id`'s sortie out of the day and returns it (`nil` when it was not placed).
    @discardableResult
    mutating func remove(_ id: Int) -> Sortie? {
        let d = Int(droneOf[id])
        guard d >= 0, let index = timelines[d].firstIndex(where: { $0.occurrence == id }) else { return nil }
        let sortie = timelines[d].remove(at: index).sortie
        recharge(d, from: index)
        droneOf[id] = -1
        return sortie
    }

    /// Simulates drone `d`'s charge again from its sortie at `index` on, until it is the same as
    /// before (the rest of the day then is too).
    mutating func recharge(_ d: Int, from index: Int) {
        guard let hive = hives[d] else { return }
        for j in index..<timelines[d].count {
            let level = levelBefore(d, at: j, launch: timelines[d][j].sortie.start, hive: hive)
            if level == timelines[d][j].sortie.chargeBeforeWh { return }
            timelines[d][j].sortie.chargeBeforeWh = level
            timelines[d][j].sortie.chargeAfterWh = level - timelines[d][j].sortie.energyWh
        }
    }

    /// The charge of drone `d` at a launch at `t` placed at position `index` of its timeline: from
    /// the start of the day, or from the landing before, charged by its hive's curve from one
    /// turnaround after that landing.
    func levelBefore(_ d: Int, at index: Int, launch t: Double, hive: FleetHive) -> Double {
        let drone = drones[d]
        guard index > 0 else {
            return hive.charging.charge(capacity: drone.batteryWh, from: drone.initialChargeWh, after: max(0, t))
        }
        let previous = timelines[d][index - 1].sortie
        return hive.charging.charge(
            capacity: drone.batteryWh, from: previous.chargeAfterWh, after: t - (previous.end + hive.turnaround))
    }

    /// Every placed sortie, with its charges.
    var allSorties: [Sortie] { strays + timelines.flatMap { $0.map(\.sortie) } }

    /// Whether occurrence `id` is flown later than it could be (after its due time or the re-plan's start).
    func isLate(_ id: Int) -> Bool {
        droneOf[id] >= 0 && startOf[id] > max(occurrences[id].due, notBefore) + 1e-6
    }

    /// The cost of an occurrence's outcome: its lateness, or 3600 per priority point if not flown.
    func cost(_ id: Int) -> Double {
        droneOf[id] < 0 ? Double(occurrences[id].priority) * 3600 : startOf[id] - occurrences[id].due
    }

    // MARK: Placement

    /// The calm-air profile of `occurrence` flown by drone `d` from its hive at `hiveXY`.
    func calmProfile(_ occurrence: Occurrence, drone d: Int, hiveXY: XY) -> SortieProfile {
        if occurrence.resumeFrom == 0, let cached = calm[occurrence.patrol][d] { return cached }
        return problem.patrols[occurrence.patrol].profile(
            from: hiveXY, resumeAt: occurrence.resumeFrom, drone: drones[d])
    }

    /// The sorties that may be in the way of `occurrence`'s flight (airspace and pads): those
    /// flying between its earliest launch and its latest possible landing.
    func nearby(_ occurrence: Occurrence) -> [Sortie] {
        let patrol = problem.patrols[occurrence.patrol]
        let latest = occurrence.due + patrol.schedule.window
        let longest =
            occurrence.resumeFrom == 0
            ? longestCalm[occurrence.patrol]
            : drones.indices.compactMap { d in
                hiveXY[d].map { calmProfile(occurrence, drone: d, hiveXY: $0).duration }
            }.max() ?? 0
        let pad = problem.padInterval
        let low = max(occurrence.due, notBefore) - pad
        let high = latest + longest + pad
        var result = strays.filter { $0.end > low && $0.start < high }
        for timeline in timelines {
            var i = Self.firstEnding(after: low, in: timeline)
            while i < timeline.count, timeline[i].sortie.start < high {
                result.append(timeline[i].sortie)
                i += 1
            }
        }
        return result
    }

    /// The best drone for `occurrence`: the earliest launch, then the least payload to spare, the
    /// home hive, less energy, drone id.
    func bestPlacement(_ occurrence: Occurrence) -> Result<Sortie, PlacementFailure> {
        var best: Sortie?
        var bestDrone = 0
        var failures: [PlacementFailure] = []
        let patrol = problem.patrols[occurrence.patrol]
        let home = patrol.homeHive
        let latest = occurrence.due + patrol.schedule.window
        let others = nearby(occurrence)
        let surplus = surplus[occurrence.patrol]
        var relevant = RelevantSorties()
        for d in drones.indices {
            // A drone that cannot launch by the best launch so far cannot win: stop looking there.
            let until = min(latest, best?.start ?? latest)
            switch place(occurrence, on: d, others: others, until: until, relevant: &relevant) {
            case .success(let sortie):
                if let b = best {
                    let key = (sortie.start, surplus[d], sortie.hive == home ? 0 : 1, sortie.energyWh)
                    let bestKey = (b.start, surplus[bestDrone], b.hive == home ? 0 : 1, b.energyWh)
                    if key > bestKey || (key == bestKey && sortie.drone >= b.drone) { continue }
                }
                best = sortie
                bestDrone = d
            case .failure(let failure): failures.append(failure)
            }
        }
        if let best { return .success(best) }
        guard let worst = failures.max(by: { $0.rank < $1.rank }), worst.rank > 0 else {
            let needed = patrol.schedule.payload.sorted().map(\.rawValue).joined(separator: " + ")
            return .failure(PlacementFailure(reason: .payload("no drone carries \(needed)")))
        }
        return .failure(worst)
    }

    /// Whether two flights' extents (grown by `buffer`) touch and their altitude bands are closer
    /// than `vertical`: whether they would conflict if flown at the same time.
    static func sharesSky(
        _ a: Sortie, bounds: Bounds, lowest: Double, highest: Double, buffer: Double, vertical: Double
    ) -> Bool {
        let apart =
            a.bounds.max.x + buffer < bounds.min.x - buffer || bounds.max.x + buffer < a.bounds.min.x - buffer
            || a.bounds.max.y + buffer < bounds.min.y - buffer || bounds.max.y + buffer < a.bounds.min.y - buffer
        if apart { return false }
        return a.lowest - vertical < highest && lowest - vertical < a.highest
    }

    /// The nearby sorties that can share a flight's sky or pad, worked out once per hive and
    /// flight extent (the drones of a hive fly the same path) and only when a search gets that far.
    struct RelevantSorties {
        var hive = ""
        var bounds = Bounds(min: XY(0, 0), max: XY(0, 0))
        var lowest = 0.0
        var highest = 0.0
        var sorties: [Sortie]?

        mutating func get(
            _ nearby: [Sortie], hive: String, profile: SortieProfile, buffer: Double, vertical: Double, pad: Double
        ) -> [Sortie] {
            if let sorties, self.hive == hive, bounds == profile.bounds, lowest == profile.lowest,
                highest == profile.highest
            {
                return sorties
            }
            let (bounds, lowest, highest) = (profile.bounds, profile.lowest, profile.highest)
            let result = nearby.filter {
                SchedulerState.sharesSky(
                    $0, bounds: bounds, lowest: lowest, highest: highest, buffer: buffer, vertical: vertical)
                    || (pad > 0 && $0.hive == hive)
            }
            (self.hive, self.bounds, self.lowest, self.highest, sorties) = (hive, bounds, lowest, highest, result)
            return result
        }
    }

    /// The earliest feasible launch of `occurrence` on drone `d` no later than `until`, or why
    /// there is none; `nearby` holds every sortie that may share its airspace or pad.
    func place(
        _ occurrence: Occurrence, on d: Int, others nearby: [Sortie], until latest: Double,
        relevant: inout RelevantSorties
    ) -> Result<Sortie, PlacementFailure> {
        let patrol = problem.patrols[occurrence.patrol]
        let drone = drones[d]
        func fail(_ reason: Unscheduled.Reason) -> Result<Sortie, PlacementFailure> {
            .failure(PlacementFailure(reason: reason))
        }
        guard capable[occurrence.patrol][d] else { return fail(.payload("")) }
        guard let hive = hives[d], let hiveXY = hiveXY[d] else {
            return fail(.offline("\(drone.id): its hive `\(drone.hive)` has no position"))
        }
        guard drone.state.isSchedulable else { return fail(.offline("\(drone.id) is in \(drone.state.rawValue)")) }
        guard hive.state.isSchedulable else { return fail(.offline("\(hive.id) is \(hive.state.rawValue)")) }
        let calm = calmProfile(occurrence, drone: d, hiveXY: hiveXY)
        guard calm.energyWh <= drone.usableWh else {
            return fail(
                .battery(fmt("\(drone.id) needs %.0f Wh, holds %.0f Wh above reserve", calm.energyWh, drone.usableWh)))
        }
        let pad = problem.padInterval
        let buffer = problem.horizontalBuffer
        let vertical = problem.verticalSeparation
        let droneID = drone.id
        let hiveID = hive.id
        // Only the other drones' sorties that could share this flight's sky or pad matter.
        var others: [Sortie]?
        let mine = timelines[d]
        var t = max(occurrence.due, notBefore)
        // The reason is only built when the search fails: formatting it at every step was most of the
        // scheduler's time.
        var reason: () -> Unscheduled.Reason = { .window("no room") }
        // Without a forecast the day is calm throughout: no need to look at the weather at every step.
        let calmDay =
            problem.forecast.periods.isEmpty && weatherViolation(hive: hive, patrol: patrol, from: 0, to: 1) == nil
        search: for _ in 0..<1000 {
            guard t <= latest + 1e-6 else { return fail(reason()) }
            let wind = calmDay ? Weather.calm.wind : problem.forecast.worstWind(from: t, to: t + calm.duration * 1.5)
            // Wind changes only the energy of level flight (taken as headwind all the way).
            var profile = calm
            let v = min(patrol.speed, drone.maxSpeed)
            profile.energyWh += drone.consumption.headwindPerMPS * max(0, wind) * (calm.length / v) / 3600
            let end = t + profile.duration
            if profile.energyWh > drone.usableWh {
                reason = { .weather(fmt("\(drone.id) would need %.0f Wh in wind of %.0f m/s", profile.energyWh, wind)) }
                t = nextChange(after: t)
                continue
            }
            if let outage = problem.outages.first(where: {
                ($0.subject == droneID || $0.subject == hiveID) && $0.from < end && $0.to > t
            }) {
                reason = { .offline("\(outage.subject) \(outage.reason) from \(clock(outage.from))") }
                t = outage.to
                continue
            }
            if !calmDay, let (period, violation) = weatherViolation(hive: hive, patrol: patrol, from: t, to: end) {
                reason = { .weather("\(violation) until \(clock(period.to))") }
                t = period.to
                continue
            }
            // The drone's own sorties: the first landing (plus turnaround) after `t` is where this
            // one would go; it must also be clear of the launch after it.
            let position = Self.firstEnding(after: t, in: mine, plus: hive.turnaround)
            if position < mine.count, mine[position].sortie.start < end + hive.turnaround {
                let busy = mine[position].sortie
                reason = {
                    .window("\(drone.id) is busy with \(busy.patrol) until \(clock(busy.end + hive.turnaround))")
                }
                t = busy.end + hive.turnaround
                continue
            }
            // The charge at launch, and that every later sortie of the drone still has enough.
            let level = levelBefore(d, at: position, launch: t, hive: hive)
            if level - profile.energyWh < drone.reserveWh - 1e-9 {
                reason = { .window("\(drone.id) cannot recharge in time") }
                let wait = hive.charging.seconds(
                    capacity: drone.batteryWh, from: level, to: profile.energyWh + drone.reserveWh)
                t += max(wait, 1)
                continue
            }
            var after = level - profile.energyWh
            var docked = end + hive.turnaround
            for later in mine[position...] {
                let before = hive.charging.charge(
                    capacity: drone.batteryWh, from: after, after: later.sortie.start - docked)
                // No less than before: the rest of the day is as it was.
                if before >= later.sortie.chargeBeforeWh { break }
                if before - later.sortie.energyWh < drone.reserveWh - 1e-9 {
                    reason = { .window("\(drone.id) would be short of charge for \(later.sortie.patrol)") }
                    t = later.sortie.end + hive.turnaround
                    continue search
                }
                after = before - later.sortie.energyWh
                docked = later.sortie.end + hive.turnaround
            }
            let sortie = Sortie(
                patrol: patrol.id, due: occurrence.due, drone: drone.id, hive: hive.id, start: t, end: end,
                resumeFrom: occurrence.resumeFrom, lengthMetres: profile.length, energyWh: profile.energyWh,
                chargeBeforeWh: 0, chargeAfterWh: 0, priority: occurrence.priority, bounds: profile.bounds,
                lowest: profile.lowest, highest: profile.highest)
            if others == nil {
                others = relevant.get(
                    nearby, hive: hiveID, profile: calm, buffer: buffer, vertical: vertical, pad: pad)
            }
            if let other = others!.first(where: {
                $0.drone != droneID && $0.conflicts(with: sortie, buffer: buffer, vertical: vertical)
            }) {
                reason = {
                    .window("airspace shared with \(other.drone) flying \(other.patrol) until \(clock(other.end))")
                }
                t = other.end
                continue
            }
            if pad > 0,
                let other = others!.first(where: {
                    $0.hive == hiveID && $0.drone != droneID && (abs($0.start - t) < pad || abs($0.end - end) < pad)
                })
            {
                reason = { .window("the pad of \(hive.id) is in use") }
                t = abs(other.start - t) < pad ? max(t + 1, other.start + pad) : t + max(1, other.end + pad - end)
                continue
            }
            return .success(sortie)
        }
        return fail(reason())
    }

    /// The first weather period between `from` and `to` outside the hive's or the patrol's limits.
    func weatherViolation(hive: FleetHive, patrol: PatrolTask, from: Double, to: Double)
        -> (WeatherForecast.Period, String)?
    {
        for period in problem.forecast.periods(from: from, to: to) {
            if let v = hive.weatherLimits.violation(by: period.weather) { return (period, "\(hive.id): \(v)") }
            if let v = patrol.schedule.weatherLimits.violation(by: period.weather) {
                return (period, "\(patrol.id): \(v)")
            }
        }
        return nil
    }

    /// The next time after `t` when the forecast changes (or `t` plus ten minutes).
    func nextChange(after t: Double) -> Double {
        problem.forecast.periods.flatMap { [$0.from, $0.to] }.filter { $0 > t }.min() ?? t + 600
    }
}
