import PatrolGeo

extension PathEdge {
    /// Reads the `paths` layer: LineStrings with `from`, `to`, `kind`, optional `cost_s`,
    /// `level`, `to_level`, `narrow` (true/false) and `width_m` (narrow under
    /// ``PathEdge/passingWidth``). A node must sit at the same place (within a metre) on every edge.
    ///
    /// - Throws: ``LoadError`` naming the feature and field of the first problem.
    static func read(_ features: [LayerFeature]) throws(LoadError) -> [PathEdge] {
        var nodes: [String: LonLat] = [:]
        var edges: [PathEdge] = []
        for f in features {
            guard case .lineString(let line) = f.feature.geometry, line.count >= 2 else {
                throw f.error("geometry", "expected a LineString of at least two positions")
            }
            guard let from = f.text("from"), let to = f.text("to"), !from.isEmpty, !to.isEmpty, from != to else {
                throw f.error("properties.from", "every path needs distinct text `from` and `to` node ids")
            }
            let kindName = f.text("kind") ?? "path"
            guard let kind = Kind(rawValue: kindName) else {
                throw f.error(
                    "properties.kind",
                    "unknown kind `\(kindName)`; expected one of: "
                        + Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var narrow = false
            if let value = f.feature.properties["narrow"], value != .null {
                guard case .bool(let flag) = value else {
                    throw f.error("properties.narrow", "expected true or false")
                }
                narrow = flag
            }
            if let width = try f.optionalNumber("width_m", in: 0.1...100), width < PathEdge.passingWidth {
                narrow = true
            }
            let level = Int(try f.optionalNumber("level", in: -10...100) ?? 0)
            let edge = PathEdge(
                id: try f.id(), from: from, to: to, kind: kind, line: line,
                cost: try f.optionalNumber("cost_s", in: 0...3600) ?? 0, fromLevel: level,
                toLevel: Int(try f.optionalNumber("to_level", in: -10...100) ?? Double(level)), narrow: narrow)
            for (node, position) in [(from, line[0]), (to, line[line.count - 1])] {
                if let known = nodes[node], known.greatCircleDistance(to: position) > 1 {
                    throw f.error(
                        "geometry",
                        "node `\(node)` is \(Int(known.greatCircleDistance(to: position))) m "
                            + "from where another path puts it")
                }
                nodes[node] = position
            }
            edges.append(edge)
        }
        return edges
    }
}
