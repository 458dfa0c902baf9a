/// Readers for the small value types that fleet and schedule files share.
extension YAMLNode {
    /// A whole number within `range`.
    public func int(in range: ClosedRange<Int>) throws(LoadError) -> Int {
        let value = try double(in: Double(range.lowerBound)...Double(range.upperBound))
        guard value == value.rounded() else { throw error("expected a whole number, found \(value)") }
        return Int(value)
    }

    /// `true` or `false`.
    public func bool() throws(LoadError) -> Bool {
        switch try string() {
        case "true": return true
        case "false": return false
        case let other: throw error("expected true or false, found `\(other)`")
        }
    }

    /// A local time of day, `HH:MM` (00:00 to 24:00), as seconds after midnight.
    public func timeOfDay() throws(LoadError) -> Double {
        let text = try string()
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0...59).contains(m), h < 24 || m == 0
        else { throw error("expected a time of day as HH:MM (quoted), found `\(text)`") }
        return Double(h * 3600 + m * 60)
    }

    /// One of the cases of `T`, by its raw value.
    public func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws(LoadError) -> T
    where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            throw error(
                "unknown value `\(text)`; expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// A non-empty list of distinct cases of `T`.
    public func choices<T: RawRepresentable & CaseIterable & Hashable>(_: T.Type) throws(LoadError) -> Set<T>
    where T.RawValue == String {
        var result: Set<T> = []
        for item in try list() {
            let value = try item.choice(T.self)
            guard result.insert(value).inserted else { throw item.error("`\(value.rawValue)` is listed twice") }
        }
        guard !result.isEmpty else { throw error("expected at least one value") }
        return result
    }

    /// A `weather:` mapping of limits; missing fields take the defaults of ``WeatherLimits``.
    func weatherLimits() throws(LoadError) -> WeatherLimits {
        let fields = try mapping(["max_wind_mps", "max_rain_mmph", "min_temp_c", "max_temp_c"])
        let defaults = WeatherLimits()
        let limits = WeatherLimits(
            maxWind: try fields.optional("max_wind_mps")?.double(in: 0...60) ?? defaults.maxWind,
            maxRain: try fields.optional("max_rain_mmph")?.double(in: 0...500) ?? defaults.maxRain,
            minTemperature: try fields.optional("min_temp_c")?.double(in: -60...60) ?? defaults.minTemperature,
            maxTemperature: try fields.optional("max_temp_c")?.double(in: -60...70) ?? defaults.maxTemperature)
        guard limits.minTemperature < limits.maxTemperature else {
            throw error("min_temp_c must be below max_temp_c")
        }
        return limits
    }
}
