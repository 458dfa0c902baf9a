public import PatrolGeo
public import PatrolModel

extension Placement {
    /// Where `position` is on `site`: the patrol areas it lies in and the tower whose footprint
    /// holds it, if any (for a tower, the detection's building and floor would be better; a
    /// footprint is what the site file has).
    ///
    /// Point-in-polygon in lon/lat: exact enough for polygons a few hundred metres across.
    public init(of position: LonLat, in site: Site) {
        let areas = site.areas.filter { Self.contains($0.polygon, position) }.map(\.id)
        let tower = site.towers.first { Self.contains($0.footprint, position) }?.id
        self.init(areas: Set(areas), tower: tower)
    }

    static func contains(_ polygon: GeoPolygon, _ p: LonLat) -> Bool {
        inside(polygon.exterior, p) && !polygon.holes.contains { inside($0, p) }
    }

    /// Even-odd ray casting along the parallel through `p`.
    static func inside(_ ring: [LonLat], _ p: LonLat) -> Bool {
        guard ring.count >= 3 else { return false }
        var inside = false
        var j = ring.count - 1
        for i in ring.indices {
            let a = ring[i]
            let b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat), p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
