import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolStore

/// Link liveness: a device that sends nothing, not even a heartbeat, for
/// ``CoordinatorConfiguration/heartbeatTimeout`` seconds of the coordinator's clock is lost.
///
/// Silence is measured on the injected clock (virtual in simulations), and a loss is dated at
/// the instant the timeout ran out, not when it was noticed, so a simulation records the same
/// loss however the checks fall in real time. A device's silence is checked when its next frame
/// arrives, and every device's every ``CoordinatorConfiguration/livenessCheckInterval`` of real time.
extension Coordinator {
    /// Flags every registered device that has been silent longer than the timeout, once per silence.
    public func checkLiveness() {
        let now = clock.now()
        for (device, heard) in lastHeard.sorted(by: { $0.key < $1.key }) {
            checkSilence(of: device, heard: heard, now: now)
        }
    }

    /// Flags `device` lost if it has been silent since `heard` for longer than the timeout.
    private func checkSilence(of device: String, heard: Date, now: Date) {
        let timeout = configuration.heartbeatTimeout
        let lostAt = heard.addingTimeInterval(timeout)
        guard now > lostAt, !lostDevices.contains(device) else { return }
        lostDevices.insert(device)
        let flightID = activeFlight(of: device)
        let detail = String(format: "nothing received for %.1f s", timeout)
        recordLinkEvent(device: device, kind: "link_lost", at: lostAt, flightID: flightID, detail: detail)
        logger.warning(
            "device lost",
            metadata: [
                "device.id": "\(device)", "flight.id": "\(flightID ?? "none")",
                "link.silent_since": "\(heard.timeIntervalSince1970)",
            ])
        emit(.deviceLost(device: device, flightID: flightID, lastHeard: heard, lostAt: lostAt))
    }

    /// Notes a frame from `device`; a lost device that speaks again is back, its session and
    /// flight unchanged.
    func heard(from device: String) {
        let now = clock.now()
        // Silence is judged before this frame counts, so a device back after a gap is first lost,
        // whether or not a periodic check came in between.
        if let previous = lastHeard[device] { checkSilence(of: device, heard: previous, now: now) }
        lastHeard[device] = now
        guard lostDevices.remove(device) != nil else { return }
        let flightID = activeFlight(of: device)
        recordLinkEvent(device: device, kind: "link_resumed", at: now, flightID: flightID, detail: nil)
        logger.notice("device back", metadata: ["device.id": "\(device)", "flight.id": "\(flightID ?? "none")"])
        emit(.deviceResumed(device: device, flightID: flightID))
    }

    /// Checks liveness every ``CoordinatorConfiguration/livenessCheckInterval`` until cancelled.
    func watchLiveness() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.livenessCheckInterval)
            checkLiveness()
            runSorties()
        }
    }

    func activeFlight(of device: String) -> String? {
        flights.values.filter { $0.flight.deviceID == device && $0.flight.status != .planned }
            .map(\.flight.id).min()
    }

    private func recordLinkEvent(device: String, kind: String, at time: Date, flightID: String?, detail: String?) {
        let id = "coordinator/\(kind)-\(Int64((time.timeIntervalSince1970 * 1000).rounded()))"
        do {
            _ = try store.record(
                RecordedEvent(deviceID: device, eventID: id, flightID: flightID, kind: kind, time: time, detail: detail)
            )
        } catch {
            logger.error("cannot record a link event", metadata: ["device.id": "\(device)", "store.error": "\(error)"])
        }
    }
}
