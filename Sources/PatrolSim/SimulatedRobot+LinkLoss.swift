import Foundation
import Logging
import PatrolLink
import PatrolModel

/// The robot's link-loss failsafe, like the drone's (`SimulatedDrone+LinkLoss.swift`): a
/// `link_drop` fault of the scenario cuts its radio; after ``RobotScenario/LinkLossPolicy/after``
/// seconds without the coordinator's heartbeat echo it stops, then walks back to its station or
/// holds where it is (``RobotScenario/LinkLossPolicy/Action``). When the link is back it says
/// hello again and sends what it kept (readings, detections, events not yet acknowledged).
extension SimulatedRobot {
    /// Whether the simulated link is down now (a `link_drop` fault, timed from the scenario's start).
    var isLinkCut: Bool {
        let elapsed = clock.now().timeIntervalSince(scenario.start)
        return scenario.faults.contains { $0.kind == .linkDrop && elapsed >= $0.at && elapsed < $0.at + $0.duration }
    }

    /// The end of a tick (walking or charging): in lockstep, a heartbeat and its echo. While the
    /// link is cut nothing can be exchanged and the failsafe may act; when it is back the robot
    /// opens a new session first.
    func linkTick() async throws(Failure) {
        if isLinkCut {
            linkWasCut = true
            let silence = clock.now().timeIntervalSince(lastEcho ?? clock.now())
            // Docked (charging), there is nothing to stop: it waits for the link.
            if summary.failsafeAt == nil, legIndex < legs.count, silence >= scenario.linkLoss.after {
                engageFailsafe(silence: silence)
            }
            return
        }
        if linkWasCut {
            linkWasCut = false
            try await reconnect()
        }
        try await barrier()
    }

    /// Stops; then returns to the station or holds, per the scenario's `link_loss.action`.
    func engageFailsafe(silence: TimeInterval) {
        summary.failsafeAt = clock.now()
        let id = scenario.robot.id
        let detail: String
        switch scenario.linkLoss.action {
        case .return where !aborted && goHome():
            paused = false
            detail = String(format: "no heartbeat echo for %.1f s: returning to the station", silence)
        case .return:
            paused = true
            heldForLink = true
            detail = String(format: "no heartbeat echo for %.1f s: no way back, holding", silence)
        case .hold:
            paused = true
            heldForLink = true
            detail = String(format: "no heartbeat echo for %.1f s: holding until the link is back", silence)
        }
        logger.warning("link lost: failsafe", metadata: ["device.id": "\(id)", "robot.failsafe": "\(detail)"])
        // Kept until acknowledged, so it is reported once the link is back.
        event(.failsafe, detail: detail)
    }

    /// A new session after a link loss: hello, welcome, then everything still unacknowledged.
    func reconnect() async throws(Failure) {
        summary.reconnects += 1
        if heldForLink {
            heldForLink = false
            paused = false
        }
        send(
            .hello(
                Hello(
                    kind: .robot,
                    capabilities: [
                        "camera.visual", "detect.garbage", "detect.corridor_clutter", "detect.person_fallen",
                        "gas.co", "gas.ch4", "gas.h2s", "voice.speak",
                    ],
                    firmware: "patrol-sim-robot/1")))
        try await lockstep { () async throws(SimulatedGateway.Failure) in
            try await session.expect("welcome after the link came back", handle: handle) {
                if case .welcome = $0 { true } else { false }
            }
        }
        resend(force: true)
    }

    /// Docked (or stopped) while the link is still down: waits it out a second at a time, so the
    /// end of the round is reported over a live link.
    func waitForLink() async throws(Failure) {
        while isLinkCut || linkWasCut {
            if isLinkCut {
                clock.advance(by: 1)
                energyUsedWh += scenario.robot.idlePowerW / 3600
            }
            try await linkTick()
        }
    }
}
