import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// A hostile device (the adversarial-device fault): it says hello like any device, then on every
/// report interval sends a malformed frame, a replay of a frame it already sent (same `seq`), and,
/// the first time, a frame over the size limit; it counts the `error` answers it gets. The
/// coordinator must answer every one of them and go on serving the other devices.
public final class SimulatedAdversary {
    /// What the adversary sent and got back.
    public struct Summary: Sendable, Equatable {
        public var malformed = 0
        public var replayed = 0
        public var oversized = 0
        /// `error` answers received, by code.
        public var errors: [String: Int] = [:]

        public var attacks: Int { malformed + replayed + oversized }
        public var errorsReceived: Int { errors.values.reduce(0, +) }
    }

    let id: String
    let clock: VirtualClock
    let session: LockstepLink
    public private(set) var summary = Summary()
    /// The last heartbeat it sent, byte for byte, to replay.
    private var lastHeartbeat: [UInt8]?

    /// - Parameter link: a connected client whose identity is `id`.
    public init(id: String, clock: VirtualClock, link: LinkClient, logger: Logger) {
        self.id = id
        self.clock = clock
        self.session = LockstepLink(name: id, link: link, clock: clock, logger: logger)
    }

    /// Says hello (as a camera) and waits for the welcome.
    public func hello() async throws(SimulatedGateway.Failure) {
        try await session.hello(Hello(kind: .camera, capabilities: [], firmware: "rogue/0"))
    }

    /// One round of hostile frames, then a heartbeat whose echo says they have all been handled.
    public func attack() async throws(SimulatedGateway.Failure) {
        session.link.send(rawFrame: Array(#"{"v":1,"type":"telemetry","device":"\#(id)","seq":"#.utf8))
        summary.malformed += 1
        if let lastHeartbeat {
            session.link.send(rawFrame: lastHeartbeat)
            summary.replayed += 1
        }
        if summary.oversized == 0 {
            var frame = Array(#"{"v":1,"type":"heartbeat","device":"\#(id)","seq":1,"time":0,"body":{}}"#.utf8)
            frame += [UInt8](repeating: 0x20, count: WireCodec.maximumFrameSize + 1 - frame.count)
            session.link.send(rawFrame: frame)
            summary.oversized += 1
        }
        try await barrier()
    }

    /// Heartbeat and wait for its echo, counting the errors that come before it.
    public func barrier() async throws(SimulatedGateway.Failure) {
        let sequence = session.link.send(.heartbeat, time: clock.now())
        lastHeartbeat = WireCodec.encode(
            Envelope(device: id, sequence: sequence, time: clock.now(), message: .heartbeat))
        try await session.expect(
            "heartbeat echo",
            handle: { message in
                if case .error(let report) = message { self.summary.errors[report.code, default: 0] += 1 }
            }
        ) { $0 == .heartbeat }
    }
}
