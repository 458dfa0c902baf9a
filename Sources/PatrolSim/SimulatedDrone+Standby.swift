import Foundation
import Logging
import PatrolLink
import PatrolModel

extension SimulatedDrone {
    /// Waits for a mission upload. With ``standbyHeartbeat`` (a drone run as its own process,
    /// waiting in its hive for an operator's launch) it waits as long as it takes, sending a
    /// heartbeat every interval so the coordinator knows it is there, and says hello again when a
    /// restarted coordinator does not know its session. Without it, it waits at most
    /// ``answerTimeout``.
    func awaitMission() async throws(Failure) -> WireMessage {
        guard let interval = standbyHeartbeat else {
            return try await expect("mission_upload") { if case .missionUpload = $0 { true } else { false } }
        }
        while true {
            guard let next = await inbox.next(timeout: interval) else {
                send(.heartbeat)
                continue
            }
            switch next {
            case .failure(let error):
                logger.warning("bad frame from the coordinator", metadata: ["link.error": "\(error)"])
            case .success(let envelope):
                switch envelope.message {
                case .missionUpload: return envelope.message
                case .error(let report) where report.code == "not_registered":
                    logger.notice(
                        "the coordinator does not know this session: hello again",
                        metadata: ["device.id": "\(scenario.drone.id)"])
                    sendHello()
                default:
                    try handle(envelope.message)
                }
            }
        }
    }

    func sendHello() {
        send(
            .hello(
                Hello(
                    kind: .drone, capabilities: ["camera.visual", "detect.smoke", "detect.fire"],
                    firmware: "patrol-sim/1", hive: hive.id)))
    }
}
