/// Who a CURVE public key belongs to, for a ``ZAPHandler`` deciding a handshake.
///
/// The device allowlist (``DeviceAllowlist``) answers with a device id; an operator list answers
/// with an operator name. The handler serves one authority per ZAP domain, so the device link and
/// the event stream (``EventPublisher``) can admit different keys from one process.
public protocol CurveKeyAuthority: Sendable {
    /// The identity bound to `publicKey` (Z85, 40 characters), or `nil` for a stranger. The
    /// identity becomes the connection's ZAP `User-Id`.
    func identity(forKey publicKey: String) -> String?
}

extension DeviceAllowlist: CurveKeyAuthority {
    public func identity(forKey publicKey: String) -> String? { device(forKey: publicKey) }
}

/// Operators may watch the event stream, whatever their role.
extension OperatorAllowlist: CurveKeyAuthority {}

/// A fixed set of keys, each with an identity: for tests and small tools.
public struct StaticKeyAuthority: CurveKeyAuthority {
    /// Public key (Z85) → identity.
    public let identities: [String: String]

    /// - Parameter identities: identity → public key (Z85), as the keys files list them.
    public init(_ identities: [String: String]) {
        self.identities = Dictionary(identities.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
    }

    public func identity(forKey publicKey: String) -> String? { identities[publicKey] }
}
