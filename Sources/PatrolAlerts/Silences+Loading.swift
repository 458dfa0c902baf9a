public import Foundation
public import PatrolModel

extension SilencePolicy {
    /// Reads maintenance windows, silences and inhibition rules from the text of a YAML file
    /// (`geo/<site>/silences.yaml`, optional).
    ///
    /// Pure: the caller reads the file. Every silence needs an id, `start` and `end` (ISO 8601 with
    /// an offset, `end` after `start`), `by` and `reason`; `classes`, `places` and `sources` narrow it.
    /// - Parameters:
    ///   - places: the area and tower ids a silence may name.
    /// - Throws: ``LoadError`` naming the file, line and field of the first problem.
    public init(yaml text: String, file: String, places: Set<String>) throws(LoadError) {
        let root = try YAMLNode(text: text, file: file).mapping(["silences", "inhibit"])
        var silences: [Silence] = []
        for node in try root.optional("silences")?.list() ?? [] {
            let fields = try node.mapping(["id", "start", "end", "classes", "places", "sources", "by", "reason"])
            let idNode = try fields.required("id")
            let id = try ResponsibilityMap.identifier(idNode)
            guard !silences.contains(where: { $0.id == id }) else { throw idNode.error("duplicate silence `\(id)`") }
            let start = try Self.date(fields.required("start"))
            let endNode = try fields.required("end")
            let end = try Self.date(endNode)
            guard end > start else { throw endNode.error("`end` must be after `start`") }
            var classes: Set<DetectionClass> = []
            if let c = fields.optional("classes") { classes = try ResponsibilityMap.classes(c) }
            var chosen: Set<String> = []
            if let p = fields.optional("places") {
                for item in try Self.texts(p) {
                    guard places.contains(try item.string()) else {
                        throw item.error(
                            "no area or tower `\(try item.string())` on the site; expected one of: "
                                + places.sorted().joined(separator: ", "))
                    }
                    chosen.insert(try item.string())
                }
            }
            var sources: Set<String> = []
            if let s = fields.optional("sources") {
                for item in try Self.texts(s) { sources.insert(try item.string()) }
            }
            silences.append(
                Silence(
                    id: id, start: start, end: end, classes: classes, places: chosen, sources: sources,
                    by: try fields.required("by").string(), reason: try fields.required("reason").string()))
        }
        var inhibitions: [InhibitionRule] = []
        for node in try root.optional("inhibit")?.list() ?? [] {
            let fields = try node.mapping(["when", "confirmed", "mutes", "radius_m"])
            inhibitions.append(
                InhibitionRule(
                    when: try ResponsibilityMap.classes(fields.required("when")),
                    confirmed: try fields.optional("confirmed")?.bool() ?? true,
                    mutes: try ResponsibilityMap.classes(fields.required("mutes")),
                    radius: try fields.optional("radius_m")?.double(in: 0...5000) ?? 100))
        }
        self.init(silences: silences, inhibitions: inhibitions)
    }

    static func texts(_ node: YAMLNode) throws(LoadError) -> [YAMLNode] { node.isList ? try node.list() : [node] }

    /// An ISO 8601 time with an offset (`2026-12-01T09:00:00+08:00`).
    static func date(_ node: YAMLNode) throws(LoadError) -> Date {
        let text = try node.string()
        guard let date = Silence.parseTime(text) else {
            throw node.error(
                "`\(text)` is not a time; write ISO 8601 with an offset, such as 2026-12-01T09:00:00+08:00")
        }
        return date
    }
}

extension Silence {
    /// Parses an ISO 8601 time with an offset or `Z`; `nil` when it is not one.
    public static func parseTime(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}
