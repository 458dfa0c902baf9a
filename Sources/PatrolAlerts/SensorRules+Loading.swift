import PatrolGeo
public import PatrolModel

extension SensorRules {
    /// Reads sensor rules from the text of a YAML file (`geo/<site>/thresholds.yaml`).
    ///
    /// Pure: the caller reads the file. Kinds must be ones the wire protocol knows; every
    /// actuation's zone must be listed under `zones`; classes must be alert classes.
    /// - Parameter file: the file's name, for error messages.
    /// - Throws: ``LoadError`` naming the file, line, column and field of the first problem.
    public init(yaml text: String, file: String) throws(LoadError) {
        let root = try YAMLNode(text: text, file: file).mapping(["thresholds", "zones", "actuations"])
        var thresholds: [String: Threshold] = [:]
        for node in try root.required("thresholds").list() {
            let fields = try node.mapping(["kind", "above", "unit", "class"])
            let kindNode = try fields.required("kind")
            let kind = try Self.kind(kindNode)
            guard thresholds[kind] == nil else { throw kindNode.error("a second threshold for `\(kind)`") }
            let classNode = try fields.required("class")
            let name = try classNode.string()
            guard let detectionClass = DetectionClass(rawValue: name) else {
                let known = DetectionClass.allCases.map(\.rawValue).joined(separator: ", ")
                throw classNode.error("unknown class `\(name)`; expected one of: \(known)")
            }
            thresholds[kind] = Threshold(
                above: try fields.required("above").double(), unit: try fields.required("unit").string(),
                detectionClass: detectionClass)
        }
        var zones: [String: LonLat] = [:]
        for node in try root.optional("zones")?.list() ?? [] {
            let fields = try node.mapping(["id", "lon", "lat"])
            let idNode = try fields.required("id")
            let zone = try ResponsibilityMap.identifier(idNode)
            guard zones[zone] == nil else { throw idNode.error("a second zone `\(zone)`") }
            zones[zone] = LonLat(
                lon: try fields.required("lon").double(in: -180...180),
                lat: try fields.required("lat").double(in: -90...90))
        }
        var actuations: [Actuation] = []
        if let list = root.optional("actuations") {
            for node in try list.list() {
                let fields = try node.mapping(["zone", "kinds", "device", "actuator"])
                let zoneNode = try fields.required("zone")
                let zone = try ResponsibilityMap.identifier(zoneNode)
                guard zones[zone] != nil else { throw zoneNode.error("no zone `\(zone)` under `zones`") }
                var kinds: Set<String> = []
                for item in try fields.required("kinds").list() { kinds.insert(try Self.kind(item)) }
                actuations.append(
                    Actuation(
                        zone: zone, kinds: kinds, device: try ResponsibilityMap.identifier(fields.required("device")),
                        actuator: try ResponsibilityMap.identifier(fields.required("actuator"))))
            }
        }
        self.init(thresholds: thresholds, zones: zones, actuations: actuations)
    }

    private static func kind(_ node: YAMLNode) throws(LoadError) -> String {
        let text = try node.string()
        guard kinds.contains(text) else {
            throw node.error("unknown sensor kind `\(text)`; expected one of: \(kinds.joined(separator: ", "))")
        }
        return text
    }
}
