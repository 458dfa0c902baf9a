public import Foundation
import Synchronization

/// The devices allowed to connect, each bound to its CURVE public key; consulted by the
/// ``ZAPHandler`` on every handshake and by the ``LinkServer`` on every frame.
///
/// The keys file (`keys/devices.yaml`) is a small YAML subset, one device a line, the key in
/// double quotes (Z85 contains `:` and `#`):
///
/// ```yaml
/// # device id: CURVE public key (Z85, 40 characters)
/// drone-1: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
/// ```
///
/// ``replace(with:)`` and ``reload(from:)`` take effect at once: a revoked key is refused at
/// its next handshake, and frames already flowing on its connection are refused from then on.
public final class DeviceAllowlist: Sendable {
    private let byKey: Mutex<[String: String]>
    private let refusals = Atomic<Int>(0)
    /// Counts ``replace(with:)`` calls, so the link sweeps connections only after a change.
    let generation = Atomic<Int>(0)

    /// An allowlist of `devices`: device id → public key (Z85).
    /// - Throws: ``LinkError`` `.invalidKey` for a malformed key or a key given to two devices.
    public init(devices: [String: String] = [:]) throws(LinkError) {
        byKey = Mutex(try Self.index(devices))
    }

    /// An allowlist read from a keys file.
    /// - Throws: ``LinkError`` `.invalidKey` naming the file and line of the first problem.
    public convenience init(contentsOf url: URL) throws(LinkError) {
        try self.init(devices: Self.load(from: url))
    }

    /// Device id → public key, for listing.
    public var devices: [String: String] {
        byKey.withLock { Dictionary(uniqueKeysWithValues: $0.map { ($0.value, $0.key) }) }
    }

    /// Handshakes refused since the allowlist was made: unknown or revoked keys.
    public var refused: Int { refusals.load(ordering: .relaxed) }

    /// Replaces every entry at once (revocation is an entry that is gone).
    /// - Throws: ``LinkError`` `.invalidKey`; the allowlist is then unchanged.
    public func replace(with devices: [String: String]) throws(LinkError) {
        let index = try Self.index(devices)
        byKey.withLock { $0 = index }
        generation.add(1, ordering: .releasing)
    }

    /// Re-reads the keys file and replaces every entry; on an error nothing changes.
    public func reload(from url: URL) throws(LinkError) {
        try replace(with: Self.load(from: url))
    }

    /// The device bound to `publicKey` (Z85), or `nil` for a stranger.
    public func device(forKey publicKey: String) -> String? { byKey.withLock { $0[publicKey] } }

    /// Whether `device` is still on the list.
    public func allows(device: String) -> Bool { byKey.withLock { $0.values.contains(device) } }

    /// The devices on the list now.
    var allowedDevices: Set<String> { byKey.withLock { Set($0.values) } }

    func countRefusal() { refusals.add(1, ordering: .relaxed) }

    private static func index(_ devices: [String: String]) throws(LinkError) -> [String: String] {
        var byKey: [String: String] = [:]
        for (device, key) in devices.sorted(by: { $0.key < $1.key }) {
            try CurveKeyPair.check(key, what: "\(device)")
            guard !device.isEmpty, device.count <= 64 else {
                throw LinkError(code: .invalidKey, message: "device id: 1 to 64 characters, found \"\(device)\"")
            }
            if let other = byKey[key] {
                throw LinkError(
                    code: .invalidKey, message: "\(device): the same key as \(other); give each device its own")
            }
            byKey[key] = device
        }
        return byKey
    }

    /// Reads a keys file: device id → public key.
    /// - Throws: ``LinkError`` `.invalidKey` with `file:line: problem` for the first bad line.
    public static func load(from url: URL) throws(LinkError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LinkError(code: .invalidKey, message: "\(url.path): cannot read the keys file: \(error)")
        }
        var devices: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let problem = { (what: String) in
                LinkError(code: .invalidKey, message: "\(url.path):\(number + 1): \(what)")
            }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw problem("expected `device-id: \"KEY\"`") }
            var value = Substring(parts[1])
            guard value.first == "\"", let close = value.dropFirst().firstIndex(of: "\"") else {
                throw problem("\(parts[0]): the key must be in double quotes")
            }
            let key = String(value[value.index(after: value.startIndex)..<close])
            value = value[value.index(after: close)...].drop(while: { $0 == " " })
            guard value.isEmpty || value.first == "#" else { throw problem("\(parts[0]): text after the key") }
            guard devices[parts[0]] == nil else { throw problem("\(parts[0]): listed twice") }
            do {
                try CurveKeyPair.check(key, what: parts[0])
            } catch {
                throw problem(error.message)
            }
            devices[parts[0]] = key
        }
        return devices
    }

    /// The keys file text for `devices`, sorted by id, with a header comment.
    public static func render(_ devices: [String: String]) -> String {
        var text = "# Patrol device allowlist: device id: CURVE public key (Z85, 40 characters).\n"
        text += "# Managed by `patrol keys generate`; remove a line to revoke a device.\n"
        for (device, key) in devices.sorted(by: { $0.key < $1.key }) { text += "\(device): \"\(key)\"\n" }
        return text
    }
}
