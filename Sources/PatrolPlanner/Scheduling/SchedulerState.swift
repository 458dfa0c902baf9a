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

/// The sorties placed so far, and the search for the earliest feasible launch of an occurrence.
struct SchedulerState {
    let problem: ScheduleProblem
    var sorties: [Sortie]
    let notBefore: Double
    /// Calm-air profiles of every patrol from the start of its path, by patrol index and drone id.
    let calm: [[String: SortieProfile]]
    /// The longest of each patrol's calm-air durations over the drones (from the start of its path).
    let longestCalm: [Double]

    init(problem: ScheduleProblem, sorties: [Sortie], notBefore: Double) {
        self.problem = problem
        self.sorties = sorties
        self.notBefore = notBefore
        calm = problem.patrols.map { patrol in
            var byDrone: [String: SortieProfile] = [:]
            for drone in problem.fleet.drones {
                guard let xy = problem.hivePositions[drone.hive] else { continue }
                byDrone[drone.id] = patrol.profile(from: xy, drone: drone)
            }
            return byDrone
        }
        longestCalm = calm.map { $0.values.map(\.duration).max() ?? 0 }
    }

    /// The calm-air profile of `occurrence` flown by `drone` from its hive at `hiveXY`.
    func calmProfile(_ occurrence: Occurrence, drone: Drone, hiveXY: XY) -> SortieProfile {
        if occurrence.resumeFrom == 0, let cached = calm[occurrence.patrol][drone.id] { return cached }
        return problem.patrols[occurrence.patrol].profile(from: hiveXY, resumeAt: occurrence.resumeFrom, drone: drone)
    }

    /// The best drone for `occurrence`: the earliest launch, then the least payload to spare, the
    /// home hive, less energy, drone id.
    func bestPlacement(_ occurrence: Occurrence) -> Result<Sortie, PlacementFailure> {
        var best: Sortie?
        var failures: [PlacementFailure] = []
        let patrol = problem.patrols[occurrence.patrol]
        let home = patrol.homeHive
        // Only the sorties that can overlap this occurrence's flight matter for airspace and pads.
        let latest = occurrence.due + patrol.schedule.window
        let longest =
            occurrence.resumeFrom == 0
            ? longestCalm[occurrence.patrol]
            : problem.fleet.drones.compactMap { drone in
                problem.hivePositions[drone.hive].map { calmProfile(occurrence, drone: drone, hiveXY: $0).duration }
            }.max() ?? 0
        let pad = problem.padInterval
        let nearby = sorties.filter {
            $0.end > max(occurrence.due, notBefore) - pad && $0.start < latest + longest + pad
        }
        let byDrone = Dictionary(grouping: sorties, by: \.drone)
        // Payload a drone carries beyond what this patrol needs: keep capable drones for the
        // patrols that need them.
        var surplus: [String: Int] = [:]
        for drone in problem.fleet.drones {
            surplus[drone.id] = drone.payload.subtracting(patrol.schedule.payload).count
        }
        for drone in problem.fleet.drones {
            // A drone that cannot launch by the best launch so far cannot win: stop looking there.
            let until = min(latest, best?.start ?? latest)
            switch place(occurrence, on: drone, mine: byDrone[drone.id] ?? [], others: nearby, until: until) {
            case .success(let sortie):
                if let b = best {
                    let key = (sortie.start, surplus[sortie.drone]!, sortie.hive == home ? 0 : 1, sortie.energyWh)
                    let bestKey = (b.start, surplus[b.drone]!, b.hive == home ? 0 : 1, b.energyWh)
                    if key > bestKey || (key == bestKey && sortie.drone >= b.drone) { continue }
                }
                best = sortie
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

    /// The earliest feasible launch of `occurrence` on `drone` no later than `until`, or why there
    /// is none; `mine` are the drone's sorties, `others` every sortie that may share its airspace.
    func place(_ occurrence: Occurrence, on drone: Drone, mine: [Sortie], others: [Sortie], until latest: Double)
        -> Result<Sortie, PlacementFailure>
    {
        let patrol = problem.patrols[occurrence.patrol]
        func fail(_ reason: Unscheduled.Reason) -> Result<Sortie, PlacementFailure> {
            .failure(PlacementFailure(reason: reason))
        }
        guard patrol.schedule.payload.isSubset(of: drone.payload) else { return fail(.payload("")) }
        guard let hive = problem.fleet.hive(drone.hive), let hiveXY = problem.hivePositions[hive.id] else {
            return fail(.offline("\(drone.id): its hive `\(drone.hive)` has no position"))
        }
        guard drone.state.isSchedulable else { return fail(.offline("\(drone.id) is in \(drone.state.rawValue)")) }
        guard hive.state.isSchedulable else { return fail(.offline("\(hive.id) is \(hive.state.rawValue)")) }
        let calm = calmProfile(occurrence, drone: drone, hiveXY: hiveXY)
        guard calm.energyWh <= drone.usableWh else {
            return fail(
                .battery(fmt("\(drone.id) needs %.0f Wh, holds %.0f Wh above reserve", calm.energyWh, drone.usableWh)))
        }
        var t = max(occurrence.due, notBefore)
        // The reason is only built when the search fails: formatting it at every step was most of the
        // scheduler's time.
        var reason: () -> Unscheduled.Reason = { .window("no room") }
        for _ in 0..<1000 {
            guard t <= latest + 1e-6 else { return fail(reason()) }
            let wind = problem.forecast.worstWind(from: t, to: t + calm.duration * 1.5)
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
                ($0.subject == drone.id || $0.subject == hive.id) && $0.from < end && $0.to > t
            }) {
                reason = { .offline("\(outage.subject) \(outage.reason) from \(clock(outage.from))") }
                t = outage.to
                continue
            }
            if let (period, violation) = weatherViolation(hive: hive, patrol: patrol, from: t, to: end) {
                reason = { .weather("\(violation) until \(clock(period.to))") }
                t = period.to
                continue
            }
            if let busy = mine.first(where: { $0.start < end + hive.turnaround && $0.end + hive.turnaround > t }) {
                reason = {
                    .window("\(drone.id) is busy with \(busy.patrol) until \(clock(busy.end + hive.turnaround))")
                }
                t = busy.end + hive.turnaround
                continue
            }
            let sortie = Sortie(
                patrol: patrol.id, due: occurrence.due, drone: drone.id, hive: hive.id, start: t, end: end,
                resumeFrom: occurrence.resumeFrom, lengthMetres: profile.length, energyWh: profile.energyWh,
                chargeBeforeWh: 0, chargeAfterWh: 0, priority: occurrence.priority, bounds: profile.bounds,
                lowest: profile.lowest, highest: profile.highest)
            if let shortfall = Self.batteryShortfall(mine + [sortie], drone: drone, hive: hive) {
                if shortfall.sortie.start == t {
                    reason = { .window("\(drone.id) cannot recharge in time") }
                    let wait = hive.charging.seconds(
                        capacity: drone.batteryWh, from: shortfall.level, to: sortie.energyWh + drone.reserveWh)
                    t += max(wait, 1)
                } else {
                    reason = { .window("\(drone.id) would be short of charge for \(shortfall.sortie.patrol)") }
                    t = shortfall.sortie.end + hive.turnaround
                }
                continue
            }
            if let other = others.first(where: {
                $0.drone != drone.id
                    && $0.conflicts(
                        with: sortie, buffer: problem.horizontalBuffer, vertical: problem.verticalSeparation)
            }) {
                reason = {
                    .window("airspace shared with \(other.drone) flying \(other.patrol) until \(clock(other.end))")
                }
                t = other.end
                continue
            }
            let pad = problem.padInterval
            if let other = others.first(where: {
                $0.hive == hive.id && $0.drone != drone.id && (abs($0.start - t) < pad || abs($0.end - end) < pad)
            }) {
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
