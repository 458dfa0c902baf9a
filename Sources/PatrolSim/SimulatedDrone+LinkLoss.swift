public import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel

extension SimulatedDrone {
    /// A simulated radio drop, in virtual seconds after take-off.
    public struct LinkCut: Hashable, Sendable {
        /// When the link goes down, seconds after take-off.
        public var after: TimeInterval
        /// How long it stays down.
        public var lasting: TimeInterval

        public init(after: TimeInterval, lasting: TimeInterval) {
            self.after = after
            self.lasting = lasting
        }
    }

    /// Whether the simulated link is down now.
    var isLinkCut: Bool {
        guard let linkCut, let takeoffAt else { return false }
        let t = clock.now().timeIntervalSince(takeoffAt)
        return t >= linkCut.after && t < linkCut.after + linkCut.lasting
    }

    /// The end of a tick: in lockstep, a heartbeat and its echo. While the link is cut nothing can
    /// be exchanged; after ``failsafeAfter`` seconds without an echo the failsafe sends the drone
    /// home. When the link is back the drone says hello again and reports what it kept.
    func linkTick() async throws(Failure) {
        if isLinkCut {
            linkWasCut = true
            let silence = clock.now().timeIntervalSince(lastEcho ?? clock.now())
            if summary.failsafeAt == nil, silence >= failsafeAfter { engageFailsafe(silence: silence) }
            return
        }
        if linkWasCut {
            linkWasCut = false
            try await reconnect()
        }
        try await barrier()
    }

    /// Link-loss failsafe: return to the hive along the current altitude (at least 30 m).
    func engageFailsafe(silence: TimeInterval) {
        guard var k = kinematics, !k.isFinished, let home = try? frame.project(hive.position) else { return }
        Self.returnHome(&k, to: home)
        kinematics = k
        summary.failsafeAt = clock.now()
        logger.warning("link lost: failsafe, returning to hive", metadata: ["device.id": "\(scenario.drone.id)"])
        // Kept until acknowledged, so it is reported once the link is back.
        event(.failsafe, detail: String(format: "no heartbeat echo for %.1f s: returning to hive", silence))
    }

    /// A new session after a link loss: hello, welcome, then everything still unacknowledged.
    func reconnect() async throws(Failure) {
        send(
            .hello(
                Hello(
                    kind: .drone, capabilities: ["camera.visual", "detect.smoke", "detect.fire"],
                    firmware: "patrol-sim/1", hive: hive.id)))
        _ = try await expect("welcome after the link came back") { if case .welcome = $0 { true } else { false } }
        for (_, e) in pendingEvents.sorted(by: { $0.key < $1.key }) { send(.event(e)) }
        for (id, pending) in pendingDetections.sorted(by: { $0.key < $1.key }) {
            send(.detection(pending.report))
            pendingDetections[id] = (pending.report, clock.now())
            summary.resends += 1
        }
    }

    /// Turns `k` round to the hive at its altitude (at least 30 m) and unpauses it.
    static func returnHome(_ k: inout Kinematics, to home: XY) {
        k.returnHome(home, altitude: max(k.altitude, 30), speed: k.currentLeg?.speed ?? 8)
        k.paused = false
    }
}
