/// A connected device as the coordinator's ROUTER socket knows it: the connection's routing id.
///
/// A ``LinkClient`` sets its routing id to its device identity, so for conforming devices
/// ``description`` is the device id; ids libzmq generated for anonymous peers print as hex.
public struct PeerID: Hashable, Sendable, CustomStringConvertible {
    /// The routing id bytes (1 to 255).
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The peer whose routing id is `identity` in UTF-8, as a ``LinkClient`` with that identity.
    public init(_ identity: String) { self.bytes = Array(identity.utf8) }

    /// The routing id as text when it is printable UTF-8, otherwise `0x` and hex digits.
    public var description: String {
        if let first = bytes.first, first != 0, let text = String(validating: bytes, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            return text
        }
        return "0x" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

/// One message a ``LinkServer`` received: who sent it, and the envelope or why it was rejected.
public struct InboundFrame: Sendable {
    public var peer: PeerID
    public var result: Result<Envelope, LinkError>
    /// The device id the connection's CURVE key belongs to (its ZAP `User-Id`); `nil` in plaintext.
    public var authenticatedDevice: String?

    public init(peer: PeerID, result: Result<Envelope, LinkError>, authenticatedDevice: String? = nil) {
        self.peer = peer
        self.result = result
        self.authenticatedDevice = authenticatedDevice
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
