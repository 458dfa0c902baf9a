extension FlightLimits {
    /// The fields a mission's `limits:` block may have.
    static let fields = [
        "max_altitude_m", "geofence_margin_m", "endurance_min", "reserve", "max_climb_mps", "max_descent_mps",
        "max_turn_deg",
    ]

    /// Reads a mission's `limits:` block; a missing field keeps its default.
    ///
    /// - Throws: ``LoadError`` for an unknown field or a value out of range.
    static func read(_ reader: YAMLNode?) throws(LoadError) -> FlightLimits {
        var limits = FlightLimits()
        guard let reader else { return limits }
        let fields = try reader.mapping(Self.fields)
        if let v = fields.optional("max_altitude_m") { limits.maxAltitudeAGL = try v.double(in: 5...1000) }
        if let v = fields.optional("geofence_margin_m") { limits.geofenceMargin = try v.double(in: 0...1000) }
        if let v = fields.optional("endurance_min") { limits.endurance = try v.double(in: 1...600) * 60 }
        if let v = fields.optional("reserve") { limits.reserve = try v.double(in: 0...0.9) }
        if let v = fields.optional("max_climb_mps") { limits.maxClimbRate = try v.double(in: 0.1...50) }
        if let v = fields.optional("max_descent_mps") { limits.maxDescentRate = try v.double(in: 0.1...50) }
        if let v = fields.optional("max_turn_deg") { limits.maxTurn = try v.double(in: 1...180) }
        return limits
    }
}
