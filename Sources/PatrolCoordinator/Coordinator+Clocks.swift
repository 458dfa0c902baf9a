public import Foundation
import Logging
import PatrolLink
import PatrolModel

/// What the coordinator knows of one device's clock: how far it is from the coordinator's.
public struct DeviceClockOffset: Hashable, Sendable {
    /// Device clock minus coordinator clock, seconds: the median of the latest samples (each a
    /// `hello` or `heartbeat`'s envelope `time` less the coordinator's time on receipt, so it also
    /// holds the link's one-way delay, a few milliseconds).
    public var offset: TimeInterval
    /// Samples the median is over (at most ``DeviceClockOffset/window``).
    public var samples: Int
    /// Whether ``offset`` is beyond the tolerance, so that the device's timestamps are corrected.
    public var corrected: Bool

    /// How many of the latest samples the estimate is the median of.
    public static let window = 9
}

/// Samples of one device's clock offset.
struct ClockOffsetSamples {
    var values: [TimeInterval] = []
    var corrected = false

    mutating func add(_ value: TimeInterval) {
        values.append(value)
        if values.count > DeviceClockOffset.window { values.removeFirst(values.count - DeviceClockOffset.window) }
    }

    var median: TimeInterval {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

extension Coordinator {
    /// The estimate of `device`'s clock offset, if it has said hello or sent a heartbeat.
    public func clockOffset(of device: String) -> DeviceClockOffset? {
        guard let samples = clockSamples[device], !samples.values.isEmpty else { return nil }
        return DeviceClockOffset(offset: samples.median, samples: samples.values.count, corrected: samples.corrected)
    }

    /// Takes a clock sample from a `hello` or `heartbeat` and returns `envelope` with the dates a
    /// device measured (telemetry, detection and reading times, the envelope time events and hive
    /// statuses are stamped with) moved onto the coordinator's clock when the device's offset is
    /// beyond ``CoordinatorConfiguration/clockTolerance``; within it, `envelope` is unchanged.
    func onCoordinatorClock(_ envelope: Envelope, from device: String) -> Envelope {
        switch envelope.message {
        case .hello, .heartbeat: sampleClock(envelope, from: device)
        default: break
        }
        guard let samples = clockSamples[device], samples.corrected else { return envelope }
        return Self.shifted(envelope, by: -samples.median)
    }

    private func sampleClock(_ envelope: Envelope, from device: String) {
        if case .hello = envelope.message { clockSamples[device] = ClockOffsetSamples() }
        var samples = clockSamples[device] ?? ClockOffsetSamples()
        samples.add(envelope.time.timeIntervalSince(clock.now()))
        let offset = samples.median
        let beyond = abs(offset) > configuration.clockTolerance
        if beyond != samples.corrected {
            let metadata: Logger.Metadata = [
                "device.id": "\(device)", "clock.offset": "\(String(format: "%.3f", offset))",
                "clock.tolerance": "\(configuration.clockTolerance)",
            ]
            if beyond {
                logger.warning("device clock is off: its timestamps are corrected", metadata: metadata)
            } else {
                logger.notice("device clock is back within tolerance", metadata: metadata)
            }
        }
        samples.corrected = beyond
        clockSamples[device] = samples
    }

    /// `envelope` with every device-measured date moved by `seconds`.
    static func shifted(_ envelope: Envelope, by seconds: TimeInterval) -> Envelope {
        var e = envelope
        e.time = e.time.addingTimeInterval(seconds)
        switch e.message {
        case .telemetry(var report):
            report.telemetry.time = report.telemetry.time.addingTimeInterval(seconds)
            e.message = .telemetry(report)
        case .detection(var report):
            report.detection.time = report.detection.time.addingTimeInterval(seconds)
            e.message = .detection(report)
        case .sensorReadings(var batch):
            for i in batch.readings.indices {
                batch.readings[i].time = batch.readings[i].time.addingTimeInterval(seconds)
            }
            e.message = .sensorReadings(batch)
        default:
            break
        }
        return e
    }
}
