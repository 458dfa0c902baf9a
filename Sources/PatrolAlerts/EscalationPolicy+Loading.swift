public import PatrolModel

extension EscalationPolicy {
    /// Reads an escalation policy from the text of a YAML file (`geo/<site>/escalation.yaml`).
    ///
    /// Pure: the caller reads the file. Levels must start at minute 0, come in increasing time order
    /// and have unique names; every party named must be in `map`.
    /// - Parameters:
    ///   - file: the file's name, for error messages.
    ///   - map: the site's responsibility map, whose parties the levels may notify.
    /// - Throws: ``LoadError`` naming the file, line, column and field of the first problem.
    public init(yaml text: String, file: String, map: ResponsibilityMap) throws(LoadError) {
        let root = try YAMLNode(text: text, file: file).mapping(["levels", "remind_every_min", "severe"])
        var levels: [Level] = []
        let levelNodes = try root.required("levels")
        for node in try levelNodes.list() {
            let fields = try node.mapping(["name", "notify", "after_min"])
            let nameNode = try fields.required("name")
            let name = try ResponsibilityMap.identifier(nameNode)
            guard !levels.contains(where: { $0.name == name }) else {
                throw nameNode.error("duplicate level `\(name)`")
            }
            let notifyNode = try fields.required("notify")
            let notify = try notifyNode.string()
            guard notify == Self.responsible || map.party(notify) != nil else {
                throw notifyNode.error(
                    "no party `\(notify)` in the responsibility map; write `responsible` or one of: "
                        + map.parties.keys.sorted().joined(separator: ", "))
            }
            let afterNode = try fields.required("after_min")
            let after = try afterNode.double(in: 0...(7 * 24 * 60)) * 60
            if levels.isEmpty, after != 0 { throw afterNode.error("the first level starts at once: `after_min: 0`") }
            if let last = levels.last, after <= last.after {
                throw afterNode.error("levels come in time order: \(after / 60) is not after \(last.after / 60)")
            }
            levels.append(Level(name: name, notify: notify, after: after))
        }
        guard !levels.isEmpty else { throw levelNodes.error("list at least one level") }
        let remind = try root.required("remind_every_min").double(in: 1...(24 * 60)) * 60

        var severe: Set<DetectionClass> = []
        var severeRemind = remind
        if let node = root.optional("severe") {
            let fields = try node.mapping(["classes", "remind_every_min"])
            severe = try ResponsibilityMap.classes(fields.required("classes"))
            if severe.isEmpty { severe = Set(DetectionClass.allCases) }
            if let r = fields.optional("remind_every_min") { severeRemind = try r.double(in: 1...(24 * 60)) * 60 }
        }
        self.init(levels: levels, remindEvery: remind, severe: severe, severeRemindEvery: severeRemind)
    }
}
