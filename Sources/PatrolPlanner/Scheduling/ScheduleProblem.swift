public import PatrolGeo
public import PatrolModel

/// Everything the scheduler needs for one day, already in site metres and seconds after local
/// midnight. Building one does no I/O; the same problem always gives the same schedule.
public struct ScheduleProblem: Sendable, Codable {
    public var fleet: Fleet
    /// Each fleet hive's position in site metres.
    public var hivePositions: [String: XY]
    public var patrols: [PatrolTask]
    public var forecast: WeatherForecast
    /// Times when a hive or a drone cannot fly (a fault, maintenance, a planned outage).
    public var outages: [Outage]
    /// Waypoint index from which the first occurrence of a patrol resumes (a sortie cut short).
    public var resume: [String: Int]
    /// Metres of vertical separation that let two drones share a patch of sky.
    public var verticalSeparation: Double
    /// Metres added around each sortie's horizontal extent for separation.
    public var horizontalBuffer: Double
    /// Seconds between two launches, or two landings, on the same hive's pad.
    public var padInterval: Double

    public init(
        fleet: Fleet, hivePositions: [String: XY], patrols: [PatrolTask], forecast: WeatherForecast = WeatherForecast(),
        outages: [Outage] = [], resume: [String: Int] = [:], verticalSeparation: Double = 30,
        horizontalBuffer: Double = 30, padInterval: Double = 60
    ) {
        self.fleet = fleet
        self.hivePositions = hivePositions
        self.patrols = patrols
        self.forecast = forecast
        self.outages = outages
        self.resume = resume
        self.verticalSeparation = verticalSeparation
        self.horizontalBuffer = horizontalBuffer
        self.padInterval = padInterval
    }

    /// Projects the fleet's hives from `site` into its CRS.
    ///
    /// - Throws: ``PlanError`` when a fleet hive is not in the site or PROJ fails.
    public static func hivePositions(of fleet: Fleet, site: Site) throws(PlanError) -> [String: XY] {
        var result: [String: XY] = [:]
        do {
            let frame = try SiteFrame(crs: site.crs)
            for hive in fleet.hives {
                guard let facility = site.hive(hive.id) else {
                    throw PlanError(.unknownReference, "the site has no hive `\(hive.id)`", mission: "fleet")
                }
                result[hive.id] = try frame.project(facility.position)
            }
        } catch let error as PlanError {
            throw error
        } catch {
            throw PlanError(.geometry, "\(error)", mission: "fleet")
        }
        return result
    }
}

/// A hive or a drone out of service between two times.
public struct Outage: Hashable, Sendable, Codable {
    /// The hive or drone id.
    public var subject: String
    /// Seconds after local midnight.
    public var from: Double
    public var to: Double
    public var reason: String

    public init(subject: String, from: Double, to: Double = .infinity, reason: String = "offline") {
        self.subject = subject
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// The site's weather through the day, as periods of constant weather; calm where none is given.
public struct WeatherForecast: Hashable, Sendable, Codable {
    public struct Period: Hashable, Sendable, Codable {
        public var from: Double
        public var to: Double
        public var weather: Weather

        public init(from: Double, to: Double, weather: Weather) {
            self.from = from
            self.to = to
            self.weather = weather
        }
    }

    public var periods: [Period]

    public init(periods: [Period] = []) { self.periods = periods }

    /// The periods that overlap `from..<to`, or a calm one when none does.
    func periods(from: Double, to: Double) -> [Period] {
        let hits = periods.filter { $0.from < to && $0.to > from }
        return hits.isEmpty ? [Period(from: from, to: to, weather: .calm)] : hits
    }

    /// The strongest wind forecast between `from` and `to`, metres per second.
    public func worstWind(from: Double, to: Double) -> Double {
        periods(from: from, to: to).map(\.weather.wind).max() ?? 0
    }
}
