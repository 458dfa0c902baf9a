import Foundation
import Logging
import PatrolLink
import PatrolModel

/// What the simulated fixed devices (gateways, hives) share: sending on the virtual clock,
/// waiting for a message with a real-time timeout, and the heartbeat barrier of lockstep runs.
final class LockstepLink {
    let name: String
    let link: LinkClient
    let inbox: Inbox<Result<Envelope, LinkError>>
    let clock: VirtualClock
    let logger: Logger
    var answerTimeout: Duration = .seconds(30)
    /// Seconds this device's clock is off the world's (the clock-skew fault).
    var skew: TimeInterval = 0
    /// The device's own clock: the world's plus its skew.
    var now: Date { clock.now().addingTimeInterval(skew) }

    init(name: String, link: LinkClient, clock: VirtualClock, logger: Logger) {
        self.name = name
        self.link = link
        self.inbox = Inbox(link.inbound)
        self.clock = clock
        self.logger = logger
    }

    func send(_ message: WireMessage) { link.send(message, time: now) }

    /// Waits for a message matching `matches`, giving whatever else arrives meanwhile to `handle`.
    /// - Throws: ``SimulatedGateway/Failure`` when nothing matching comes within ``answerTimeout``.
    func expect(
        _ what: String, handle: (WireMessage) -> Void, _ matches: (WireMessage) -> Bool
    ) async throws(SimulatedGateway.Failure) {
        while true {
            guard let next = await inbox.next(timeout: answerTimeout) else {
                throw SimulatedGateway.Failure(
                    message: "\(name): no \(what) from the coordinator within \(answerTimeout)")
            }
            switch next {
            case .failure(let error):
                logger.warning("bad frame from the coordinator", metadata: ["link.error": "\(error)"])
            case .success(let envelope):
                if matches(envelope.message) { return }
                handle(envelope.message)
            }
        }
    }

    /// Says hello as `kind` and waits for the welcome.
    func hello(_ hello: Hello) async throws(SimulatedGateway.Failure) {
        send(.hello(hello))
        try await expect("welcome", handle: { _ in }) { if case .welcome = $0 { true } else { false } }
    }

    /// Heartbeat and wait for its echo: the coordinator has handled everything sent before.
    func barrier(handle: (WireMessage) -> Void) async throws(SimulatedGateway.Failure) {
        send(.heartbeat)
        try await expect("heartbeat echo", handle: handle) { $0 == .heartbeat }
    }
}
