/// How a link authenticates and encrypts: ZMTP `NULL` (nothing) or CURVE.
public enum LinkSecurity: Hashable, Sendable {
    /// No authentication, no encryption. Only for local tests and demos: a ``LinkServer`` in this
    /// mode logs a warning when it binds.
    case plaintext
    /// The coordinator's side: a CURVE server with its key pair. Every handshake is decided by the
    /// ``ZAPHandler`` serving `domain` (`ZMQ_ZAP_DOMAIN`); with `ZMQ_ZAP_ENFORCE_DOMAIN` set, a
    /// handshake that no handler answers is refused (fail closed).
    case curveServer(CurveKeyPair, domain: String)
    /// A device's side: its own key pair and the coordinator's public key (Z85).
    case curveClient(CurveKeyPair, serverPublicKey: String)

    /// The ZAP domain Patrol's coordinator uses unless told otherwise.
    public static let defaultDomain = "patrol"

    var isCurveServer: Bool {
        if case .curveServer = self { return true }
        return false
    }
}
