public import PatrolModel

extension ResponsibilityMap {
    /// Reads a responsibility map from the text of a YAML file (`geo/<site>/responsibility.yaml`).
    ///
    /// Pure: the caller reads the file. Unknown fields, unknown classes, kinds or parties,
    /// duplicate ids and areas or towers the site does not have are refused.
    /// - Parameters:
    ///   - file: the file's name, for error messages.
    ///   - areas: the site's area ids; rules naming others are refused (not checked when `nil`).
    ///   - towers: the site's tower ids, likewise.
    /// - Throws: ``LoadError`` naming the file, line, column and field of the first problem.
    public init(yaml text: String, file: String, areas: Set<String>? = nil, towers: Set<String>? = nil)
        throws(LoadError)
    {
        let root = try YAMLNode(text: text, file: file).mapping(["site", "parties", "default_party", "rules"])
        _ = try root.optional("site")?.string()
        var parties: [Party] = []
        var seen: Set<String> = []
        let partyNodes = try root.required("parties")
        for node in try partyNodes.list() {
            let fields = try node.mapping(["id", "name", "kind", "contact"])
            let idNode = try fields.required("id")
            let id = try Self.identifier(idNode)
            guard seen.insert(id).inserted else { throw idNode.error("duplicate party id `\(id)`") }
            let kindNode = try fields.required("kind")
            let kindText = try kindNode.string()
            guard let kind = PartyKind(rawValue: kindText) else {
                let known = PartyKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw kindNode.error("unknown party kind `\(kindText)`; expected one of: \(known)")
            }
            parties.append(
                Party(
                    id: id, name: try fields.required("name").string(), kind: kind,
                    contact: try fields.optional("contact")?.string()))
        }
        guard !parties.isEmpty else { throw partyNodes.error("list at least one party") }

        let defaultNode = try root.required("default_party")
        let defaultParty = try defaultNode.string()
        guard seen.contains(defaultParty) else { throw defaultNode.error("no party `\(defaultParty)` in `parties`") }

        var rules: [Rule] = []
        for node in try root.optional("rules")?.list() ?? [] {
            let fields = try node.mapping(["classes", "areas", "towers", "party"])
            let classes = try Self.classes(fields.required("classes"))
            let ruleAreas = try Self.names(fields.optional("areas"), known: areas, what: "area")
            let ruleTowers = try Self.names(fields.optional("towers"), known: towers, what: "tower")
            if !ruleAreas.isEmpty && !ruleTowers.isEmpty {
                throw node.error("a rule names either `areas` or `towers`, not both; write two rules")
            }
            let partyNode = try fields.required("party")
            let party = try partyNode.string()
            guard seen.contains(party) else { throw partyNode.error("no party `\(party)` in `parties`") }
            rules.append(Rule(classes: classes, areas: ruleAreas, towers: ruleTowers, party: party))
        }
        self.init(parties: parties, rules: rules, defaultParty: defaultParty)
    }

    /// An id: letters, digits, `-`, `_` and `.`, at most 64 characters.
    static func identifier(_ node: YAMLNode) throws(LoadError) -> String {
        let text = try node.string()
        let allowed = text.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        guard allowed, text.count <= 64 else {
            throw node.error("`\(text)` is not an id: use letters, digits, `-`, `_`, `.` (at most 64)")
        }
        return text
    }

    /// A class list (`[garbage, gas]`), a single class, or `all` (every class: the empty set).
    static func classes(_ node: YAMLNode) throws(LoadError) -> Set<DetectionClass> {
        let items = node.isList ? try node.list() : [node]
        var classes: Set<DetectionClass> = []
        for item in items {
            let text = try item.string()
            if text == "all" && !node.isList { return [] }
            guard let kind = DetectionClass(rawValue: text) else {
                let known = DetectionClass.allCases.map(\.rawValue).joined(separator: ", ")
                throw item.error("unknown class `\(text)`; expected `all` or one of: \(known)")
            }
            classes.insert(kind)
        }
        guard !classes.isEmpty else { throw node.error("list at least one class, or write `all`") }
        return classes
    }

    static func names(_ node: YAMLNode?, known: Set<String>?, what: String) throws(LoadError) -> Set<String> {
        guard let node else { return [] }
        var names: Set<String> = []
        for item in try node.list() {
            let name = try item.string()
            if let known, !known.contains(name) {
                throw item.error("the site has no \(what) `\(name)`; it has: \(known.sorted().joined(separator: ", "))")
            }
            names.insert(name)
        }
        guard !names.isEmpty else {
            throw node.error("list at least one \(what), or leave the field out for the whole site")
        }
        return names
    }
}
