import Foundation
import Logging
import PatrolLink

extension Coordinator {
    /// Records a batch of sensor readings (not handled yet: refused so the gateway keeps them).
    func readings(_ batch: SensorReadings, from device: String) throws {
        throw Validate.Problem("sensor_readings: not handled by this coordinator yet")
    }

    /// Notes a hive's status.
    func hiveStatus(_ status: HiveStatus, from device: String) {
        logger.debug("hive status", metadata: ["device.id": "\(device)", "hive.door": "\(status.door.rawValue)"])
    }
}

extension Validate {
    static func hiveStatus(_ s: HiveStatus) throws(Problem) {
        guard s.windSpeed.isFinite, (0...100).contains(s.windSpeed) else { throw Problem("wind_speed: out of range") }
        guard s.windFrom.isFinite, (0...360).contains(s.windFrom) else { throw Problem("wind_from: expected 0 to 360 degrees") }
        guard s.rain.isFinite, (0...500).contains(s.rain) else { throw Problem("rain: expected 0 to 500 mm/h") }
        guard s.temperature.isFinite, (-60...80).contains(s.temperature) else { throw Problem("temperature: out of range") }
    }
}
