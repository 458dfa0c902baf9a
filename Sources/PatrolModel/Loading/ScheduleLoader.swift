extension PatrolSchedule {
    /// The fields a mission's `schedule:` block may have.
    static let fields = [
        "every_h", "from", "to", "times", "window_min", "priority", "payload", "max_staleness_h", "weather",
    ]

    /// Reads a mission's `schedule:` block.
    ///
    /// Either `every_h` with `from` and `to` (local `HH:MM`), or `times` (a list of `HH:MM`).
    ///
    /// - Throws: ``LoadError`` naming the file, line and field: an unknown or missing field, both
    ///   or neither of `every_h` and `times`, a time that is not `HH:MM`, `to` before `from`, a
    ///   value out of range, an unknown payload.
    static func load(_ node: YAMLNode) throws(LoadError) -> PatrolSchedule {
        let fields = try node.mapping(Self.fields)
        let recurrence: Recurrence
        switch (fields.optional("every_h"), fields.optional("times")) {
        case (let every?, nil):
            let interval = try every.double(in: 0.05...24) * 3600
            let fromNode = try fields.required("from")
            let from = try fromNode.timeOfDay()
            let toNode = try fields.required("to")
            let to = try toNode.timeOfDay()
            guard to >= from else { throw toNode.error("`to` is before `from`") }
            recurrence = .every(interval: interval, from: from, to: to)
        case (nil, let times?):
            for key in ["from", "to"] {
                if let stray = fields.optional(key) {
                    throw stray.error("`\(key)` goes with `every_h`, not with `times`")
                }
            }
            var seen: Set<Double> = []
            var list: [Double] = []
            for item in try times.list() {
                let t = try item.timeOfDay()
                guard seen.insert(t).inserted else { throw item.error("this time is listed twice") }
                list.append(t)
            }
            guard !list.isEmpty else { throw times.error("expected at least one time") }
            recurrence = .times(list.sorted())
        case (.some, .some(let times)):
            throw times.error("give either `every_h` (with `from` and `to`) or `times`, not both")
        case (nil, nil):
            throw node.error("missing `every_h` (with `from` and `to`) or `times`")
        }
        if let moved = fields.optional("max_staleness_h") {
            // One limit serves the daily report and the scheduler: the mission's.
            throw moved.error(
                "`schedule.max_staleness_h` is now the mission's `max_staleness_min` (one limit for the report "
                    + "and the scheduler): move it there, in minutes")
        }
        let window = try fields.optional("window_min")?.double(in: 1...1440) ?? 30
        return PatrolSchedule(
            recurrence: recurrence,
            window: window * 60,
            priority: try fields.optional("priority")?.int(in: 1...10) ?? 5,
            payload: try fields.optional("payload")?.choices(Payload.self) ?? [.visual],
            weatherLimits: try fields.optional("weather")?.weatherLimits() ?? WeatherLimits())
    }
}
