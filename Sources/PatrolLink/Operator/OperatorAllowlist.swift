public import Foundation
import Synchronization

/// What an operator may do on the operator channel; each role includes the ones below it.
public enum OperatorRole: String, Sendable, CaseIterable, Comparable, Codable {
    /// Reads only: status.
    case viewer
    /// Also launches sorties and pauses, resumes, returns and aborts them.
    case `operator`
    /// Also overrides weather limits and applies schedules.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (a: OperatorRole, b: OperatorRole) -> Bool { a.rank < b.rank }
}

/// The operators allowed on the operator channel: each name bound to a role and a CURVE public key.
///
/// The file (`keys/operators.yaml`) has one operator a line, the role then the key in double quotes:
///
/// ```yaml
/// # operator: role "CURVE public key (Z85, 40 characters)"
/// alice: admin "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
/// ```
///
/// An operator's identity is the name bound to the key that completed the CURVE handshake, never
/// anything a request says. ``reload(from:)`` takes effect at the next handshake and request.
public final class OperatorAllowlist: Sendable {
    /// One allowed operator.
    public struct Entry: Hashable, Sendable {
        public var role: OperatorRole
        public var publicKey: String

        public init(role: OperatorRole, publicKey: String) {
            self.role = role
            self.publicKey = publicKey
        }
    }

    private let entries: Mutex<[String: Entry]>
    /// The names and keys as the ``ZAPHandler`` of the operator context checks them.
    public let handshakes: DeviceAllowlist

    /// - Throws: ``LinkError`` `.invalidKey` for a malformed key, a bad name or a key given twice.
    public init(operators: [String: Entry] = [:]) throws(LinkError) {
        handshakes = try DeviceAllowlist(devices: operators.mapValues(\.publicKey))
        entries = Mutex(operators)
    }

    /// Reads an operators file.
    /// - Throws: ``LinkError`` `.invalidKey` naming the file and line of the first problem.
    public convenience init(contentsOf url: URL) throws(LinkError) {
        try self.init(operators: Self.load(from: url))
    }

    /// Every operator, by name.
    public var operators: [String: Entry] { entries.withLock { $0 } }

    /// The operator bound to `publicKey` (Z85), or `nil` for a stranger.
    public func identity(forKey publicKey: String) -> String? {
        entries.withLock { $0.first(where: { $0.value.publicKey == publicKey })?.key }
    }

    /// The role of `name`, or `nil` if `name` is not (or no longer) allowed.
    public func role(of name: String) -> OperatorRole? { entries.withLock { $0[name]?.role } }

    /// Re-reads the file and replaces every entry; on an error nothing changes.
    public func reload(from url: URL) throws(LinkError) {
        let operators = try Self.load(from: url)
        try handshakes.replace(with: operators.mapValues(\.publicKey))
        entries.withLock { $0 = operators }
    }

    /// Reads an operators file: name → role and public key.
    /// - Throws: ``LinkError`` `.invalidKey` with `file:line: problem` for the first bad line.
    public static func load(from url: URL) throws(LinkError) -> [String: Entry] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LinkError(code: .invalidKey, message: "\(url.path): cannot read the operators file: \(error)")
        }
        var operators: [String: Entry] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let problem = { (what: String) in
                LinkError(code: .invalidKey, message: "\(url.path):\(number + 1): \(what)")
            }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw problem("expected `name: role \"KEY\"`") }
            let name = parts[0]
            guard name.count <= 64, !name.contains(" ") else { throw problem("\(name): a name is 1 to 64 characters") }
            let rest = parts[1]
            guard let space = rest.firstIndex(of: " ") else { throw problem("\(name): expected `role \"KEY\"`") }
            let roleText = String(rest[..<space])
            guard let role = OperatorRole(rawValue: roleText) else {
                throw problem("\(name): unknown role `\(roleText)`; expected viewer, operator or admin")
            }
            var value = rest[space...].drop(while: { $0 == " " })
            guard value.first == "\"", let close = value.dropFirst().firstIndex(of: "\"") else {
                throw problem("\(name): the key must be in double quotes")
            }
            let key = String(value[value.index(after: value.startIndex)..<close])
            value = value[value.index(after: close)...].drop(while: { $0 == " " })
            guard value.isEmpty || value.first == "#" else { throw problem("\(name): text after the key") }
            guard operators[name] == nil else { throw problem("\(name): listed twice") }
            do {
                try CurveKeyPair.check(key, what: name)
            } catch {
                throw problem(error.message)
            }
            if let other = operators.first(where: { $0.value.publicKey == key }) {
                throw problem("\(name): the same key as \(other.key); give each operator their own")
            }
            operators[name] = Entry(role: role, publicKey: key)
        }
        return operators
    }

    /// The file text for `operators`, sorted by name, with a header comment.
    public static func render(_ operators: [String: Entry]) -> String {
        var text = "# Patrol operators: name: role \"CURVE public key (Z85, 40 characters)\".\n"
        text += "# Roles: viewer (read), operator (launch and control sorties), admin (also override and schedule).\n"
        text += "# Managed by `patrol keys generate NAME --operator --role ROLE`; remove a line to revoke.\n"
        for (name, entry) in operators.sorted(by: { $0.key < $1.key }) {
            text += "\(name): \(entry.role.rawValue) \"\(entry.publicKey)\"\n"
        }
        return text
    }
}
