internal import CZeroMQ

/// A CURVE key pair (Curve25519), both halves in Z85 text: 40 characters each.
///
/// The coordinator has one; each device has its own. Devices are told the coordinator's public
/// key; the coordinator's allowlist (``DeviceAllowlist``) holds each device's public key. The
/// secret key never leaves its owner and never appears in ``description``.
public struct CurveKeyPair: Hashable, Sendable, CustomStringConvertible {
    /// The public key, Z85 (40 characters).
    public let publicKey: String
    /// The secret key, Z85 (40 characters).
    public let secretKey: String

    /// A pair from its two Z85 halves.
    /// - Throws: ``LinkError`` `.invalidKey` if either is not 40 Z85 characters, or the public key
    ///   is not the one derived from the secret key.
    public init(publicKey: String, secretKey: String) throws(LinkError) {
        try CurveKeyPair.check(publicKey, what: "public key")
        try CurveKeyPair.check(secretKey, what: "secret key")
        guard try CurveKeyPair.publicKey(of: secretKey) == publicKey else {
            throw LinkError(code: .invalidKey, message: "the public key does not belong to the secret key")
        }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    private init(unchecked publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A fresh random pair from libzmq (`zmq_curve_keypair`).
    /// - Throws: ``LinkError`` `.socket` if libzmq was built without CURVE (`ENOTSUP`).
    public static func generate() throws(LinkError) -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else {
            throw LinkError(
                code: .socket, message: "libzmq cannot make CURVE keys: \(ZMQErrno.text(zmq_errno()))",
                operation: "zmq_curve_keypair", zmqErrno: zmq_errno())
        }
        return CurveKeyPair(unchecked: text(pub), secretKey: text(sec))
    }

    /// The public key that belongs to `secretKey` (`zmq_curve_public`).
    /// - Throws: ``LinkError`` `.invalidKey` if `secretKey` is not 40 Z85 characters.
    public static func publicKey(of secretKey: String) throws(LinkError) -> String {
        try check(secretKey, what: "secret key")
        var pub = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&pub, secretKey) == 0 else {
            throw LinkError(code: .invalidKey, message: "secret key: not a CURVE key", operation: "zmq_curve_public")
        }
        return text(pub)
    }

    /// Whether libzmq on this machine supports CURVE (`zmq_has("curve")`).
    public static var isSupported: Bool { zmq_has("curve") != 0 }

    /// Checks that `key` is 40 characters of the Z85 alphabet.
    /// - Throws: ``LinkError`` `.invalidKey`, naming `what`.
    public static func check(_ key: String, what: String = "key") throws(LinkError) {
        guard key.utf8.count == 40, key.utf8.allSatisfy({ z85Alphabet.contains($0) }) else {
            throw LinkError(
                code: .invalidKey, message: "\(what): expected 40 Z85 characters, found \(key.utf8.count) characters")
        }
    }

    /// The 32 raw bytes of a Z85 key (`zmq_z85_decode`), as ZAP requests carry them.
    static func decode(_ key: String) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 32)
        guard key.utf8.count == 40, zmq_z85_decode(&bytes, key) != nil else { return nil }
        return bytes
    }

    /// The Z85 text of 32 raw key bytes (`zmq_z85_encode`).
    static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 32 else { return nil }
        var text = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&text, bytes, 32) != nil else { return nil }
        return Self.text(text)
    }

    public var description: String { "CurveKeyPair(public: \(publicKey), secret: <redacted>)" }

    private static let z85Alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    private static func text(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
