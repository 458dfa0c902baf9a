import PatrolModel

extension Validate {
    /// The optional telemetry members (absolute altitude, climb rate, attitude): each, when sent,
    /// must be a number in its range, or the sample is refused naming the member.
    static func telemetryExtras(_ t: Telemetry) throws(Problem) {
        if let amsl = t.altitudeAMSL, !(amsl.isFinite && (-500...10000).contains(amsl)) {
            throw Problem("telemetry.altitude_amsl: expected -500 to 10000 metres")
        }
        if let climb = t.verticalSpeed, !(climb.isFinite && (-100...100).contains(climb)) {
            throw Problem("telemetry.vertical_speed: expected -100 to 100 m/s")
        }
        guard let a = t.attitude else { return }
        guard a.roll.isFinite, (-180...180).contains(a.roll) else {
            throw Problem("telemetry.attitude.roll: expected -180 to 180 degrees")
        }
        guard a.pitch.isFinite, (-90...90).contains(a.pitch) else {
            throw Problem("telemetry.attitude.pitch: expected -90 to 90 degrees")
        }
        guard a.yaw.isFinite, (0...360).contains(a.yaw) else {
            throw Problem("telemetry.attitude.yaw: expected 0 to 360 degrees")
        }
    }
}
