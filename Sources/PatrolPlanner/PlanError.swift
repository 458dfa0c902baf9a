/// A patrol that cannot be planned, and why.
public struct PlanError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable { case unknownReference, geometry, unsafe, empty }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The mission names an area or hive the site does not have.
        public static let unknownReference = Code(.unknownReference)
        /// PROJ or GEOS failed on the site's geometry.
        public static let geometry = Code(.geometry)
        /// The route would break a safety rule (no-fly zone, tower, area boundary).
        public static let unsafe = Code(.unsafe)
        /// Nothing is left to cover once no-fly zones and obstacles are removed.
        public static let empty = Code(.empty)

        public var description: String {
            switch value {
            case .unknownReference: "unknown reference"
            case .geometry: "geometry"
            case .unsafe: "unsafe route"
            case .empty: "nothing to cover"
            }
        }
    }

    public var code: Code
    public var message: String
    /// The mission the error is about.
    public var mission: String
    /// Every rule the route breaks, when the code is ``Code/unsafe`` and a route was checked.
    public var findings: [RouteCheck.Finding]

    public init(_ code: Code, _ message: String, mission: String, findings: [RouteCheck.Finding] = []) {
        self.code = code
        self.message = message
        self.mission = mission
        self.findings = findings
    }

    /// A route that breaks the rules in `findings` (at least one).
    public init(unsafe findings: [RouteCheck.Finding], mission: String) {
        let more = findings.count > 1 ? " (and \(findings.count - 1) more finding(s))" : ""
        let first = findings.first.map(String.init(describing:)) ?? "unsafe"
        self.init(.unsafe, first + more, mission: mission, findings: findings)
    }

    public var description: String { "mission \(mission): \(message)" }
}

extension PlanError {
    /// Runs `body`, passing a ``PlanError`` through and turning any other error (PROJ, GEOS) into
    /// a ``Code/geometry`` error for `mission`.
    static func mapping<T>(mission: String, _ body: () throws -> T) throws(PlanError) -> T {
        do {
            return try body()
        } catch let error as PlanError {
            throw error
        } catch {
            throw PlanError(.geometry, "\(error)", mission: mission)
        }
    }
}
