public import Foundation
public import PatrolModel

/// Everything `patrol serve` needs, from one YAML file (`deploy/patrol.yaml` documents every field).
///
/// Paths in the file are relative to the file itself.
public struct ServeConfiguration: Sendable {
    /// What in-flight sorties are told when the coordinator shuts down.
    public enum ShutdownPolicy: String, Sendable, CaseIterable {
        /// Hover and wait (`pause`): the sortie resumes when an operator says so after the restart.
        case hold
        /// Fly back to the hive (`return_to_hive`).
        case `return`
    }

    /// Where devices, operators and the optional observers connect.
    public struct Endpoints: Sendable, Hashable {
        public var devices: String
        public var operators: String
        /// The event stream (PUB) for `patrol watch`, served by the events service when one is installed.
        public var events: String?
        /// The Prometheus metrics endpoint (`host:port`), served by the metrics service when one is installed.
        public var metrics: String?
    }

    /// The key files.
    public struct Keys: Sendable, Hashable {
        /// The coordinator's own pair (`patrol keys generate coordinator --server`).
        public var coordinator: URL
        /// The device allowlist.
        public var devices: URL
        /// The operator allowlist with roles.
        public var operators: URL
    }

    /// The file this was read from.
    public var file: URL
    public var siteFile: URL
    public var fleetFile: URL
    /// The missions operators can launch, by their id.
    public var missionFiles: [URL]
    /// The site folder with `responsibility.yaml` and `escalation.yaml` (incidents escalate) and
    /// `thresholds.yaml` (fixed-sensor rules); `nil` runs neither.
    public var alertsDirectory: URL?
    public var keys: Keys
    public var database: URL
    public var reportsDirectory: URL?
    public var endpoints: Endpoints
    public var onShutdown: ShutdownPolicy
    /// Seconds a device has to answer a command before the operator is told it did not.
    public var commandTimeout: Double
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String
    /// The per-device rate limits (docs/protocol.md) times this; 1 for real devices, N for a fleet
    /// simulated N times faster than real time, 0 for none.
    public var rateLimitScale: Double = 1
    /// How urgent sorties use drones already in the air (`urgent: {divert, look_s}`).
    public var diversion = DiversionPolicy()
    /// Whether WAL checkpoints run on a thread of their own (`store_checkpoints: background`, the
    /// default: a commit, and the acknowledgements waiting for it, never also copies the WAL) or
    /// in the committing connection, SQLite's default (`writer`). See ``WALCheckpointer``.
    public var backgroundCheckpoints = true

    static let fields = [
        "site", "fleet", "missions", "alerts", "keys", "database", "reports", "endpoints", "on_shutdown",
        "command_timeout_s", "log_level", "rate_limit_scale", "urgent", "store_checkpoints",
    ]
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Reads and checks a serve configuration.
    ///
    /// - Throws: ``LoadError`` with `file:line:column: field: message` for the first problem: a
    ///   syntax error, an unknown or missing field, a bad value or a file that does not exist.
    ///   The site, fleet and missions are not loaded here (see ``ServeSetup``).
    public static func load(from url: URL) throws(LoadError) -> ServeConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LoadError(file: url.path, message: "cannot read the configuration: \(error.localizedDescription)")
        }
        let root = try YAMLNode(text: text, file: url.path)
        let fields = try root.mapping(fields)
        let base = url.deletingLastPathComponent()
        func path(_ node: YAMLNode, mustExist: Bool = true) throws(LoadError) -> URL {
            let resolved = URL(fileURLWithPath: try node.string(), relativeTo: base).standardizedFileURL
            if mustExist, !FileManager.default.fileExists(atPath: resolved.path) {
                throw node.error("no such file or folder: \(resolved.path)")
            }
            return resolved
        }
        let keyFields = try fields.required("keys").mapping(["coordinator", "devices", "operators"])
        let endpointNode = try fields.required("endpoints")
        let endpointFields = try endpointNode.mapping(["devices", "operators", "events", "metrics"])
        func endpoint(_ node: YAMLNode) throws(LoadError) -> String {
            let text = try node.string()
            guard text.hasPrefix("tcp://") || text.hasPrefix("ipc://") || text.hasPrefix("inproc://") else {
                throw node.error("expected a ZeroMQ endpoint such as tcp://127.0.0.1:5555 or ipc:///run/patrol/x")
            }
            return text
        }
        let endpoints = Endpoints(
            devices: try endpoint(try endpointFields.required("devices")),
            operators: try endpoint(try endpointFields.required("operators")),
            events: try endpointFields.optional("events").map { node throws(LoadError) in try endpoint(node) },
            metrics: try endpointFields.optional("metrics").map { node throws(LoadError) in
                let text = try node.string()
                guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                    (1...65535).contains(port)
                else { throw node.error("expected host:port, such as 127.0.0.1:9464") }
                return text
            })
        guard endpoints.devices != endpoints.operators else {
            throw endpointNode.error("devices and operators need their own endpoints")
        }
        var missions: [URL] = []
        let missionNode = try fields.required("missions")
        for node in try missionNode.list() {
            let file = try path(node)
            guard !missions.contains(file) else { throw node.error("\(file.lastPathComponent) is listed twice") }
            missions.append(file)
        }
        guard !missions.isEmpty else { throw missionNode.error("expected at least one mission file") }
        let levelNode = fields.optional("log_level")
        let level = try levelNode?.string() ?? "info"
        if let levelNode, !logLevels.contains(level) {
            throw levelNode.error("unknown level `\(level)`; expected one of: \(logLevels.joined(separator: ", "))")
        }
        var configuration = ServeConfiguration(
            file: url, siteFile: try path(try fields.required("site")),
            fleetFile: try path(try fields.required("fleet")), missionFiles: missions,
            alertsDirectory: try fields.optional("alerts").map { node throws(LoadError) in try path(node) },
            keys: Keys(
                coordinator: try path(try keyFields.required("coordinator")),
                devices: try path(try keyFields.required("devices")),
                operators: try path(try keyFields.required("operators"))),
            database: try path(try fields.required("database"), mustExist: false),
            reportsDirectory: try fields.optional("reports").map { node throws(LoadError) in
                try path(node, mustExist: false)
            },
            endpoints: endpoints,
            onShutdown: try fields.optional("on_shutdown")?.choice(ShutdownPolicy.self) ?? .hold,
            commandTimeout: try fields.optional("command_timeout_s")?.double(in: 0.1...600) ?? 10,
            logLevel: level)
        configuration.rateLimitScale = try fields.optional("rate_limit_scale")?.double(in: 0...10_000) ?? 1
        if let checkpoints = fields.optional("store_checkpoints") {
            let value = try checkpoints.string()
            guard ["background", "writer"].contains(value) else {
                throw checkpoints.error("expected background or writer")
            }
            configuration.backgroundCheckpoints = value == "background"
        }
        if let urgent = try fields.optional("urgent")?.mapping(["divert", "look_s"]) {
            configuration.diversion.enabled = try urgent.optional("divert")?.bool() ?? true
            configuration.diversion.look = try urgent.optional("look_s")?.double(in: 1...3600) ?? 120
        }
        return configuration
    }
}
