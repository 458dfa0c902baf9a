import Foundation
import PatrolGeo

/// The operation behind `patrol transform`: one PROJ transformer, or a local ENU frame joined to
/// a CRS through geographic coordinates. Built once, then applied to batches.
struct CoordinateChain {
    /// One end of the chain as written on the command line.
    enum End: Equatable {
        case crs(String)
        case enu(origin: LonLat, height: Double)

        /// Parses `enu:LON,LAT[,H]` (case-insensitive prefix) or any other CRS definition.
        static func parse(_ text: String) throws(GeoError) -> End {
            guard text.lowercased().hasPrefix("enu:") else { return .crs(text) }
            let numbers = text.dropFirst(4).split(separator: ",")
                .map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard (2...3).contains(numbers.count), let lon = numbers[0], let lat = numbers[1],
                let height = numbers.count == 3 ? numbers[2] : 0
            else {
                throw GeoError(.unknownCRS, "expected enu:LON,LAT[,HEIGHT] in degrees and metres", location: text)
            }
            return .enu(origin: LonLat(lon: lon, lat: lat), height: height)
        }
    }

    /// One PROJ operation of the chain.
    private enum Step {
        case transformer(Transformer)
        case frame(LocalFrame, inverse: Bool)

        func run(_ x: inout [Double], _ y: inout [Double], _ z: inout [Double]) throws(GeoError) {
            switch self {
            case .transformer(let t): try t.transform(x: &x, y: &y, z: &z)
            case .frame(let f, let inverse): try f.transform(x: &x, y: &y, z: &z, inverse: inverse)
            }
        }
    }

    private var steps: [Step] = []
    /// Whether the output is in degrees (geographic) rather than metres.
    private(set) var outputsDegrees = false

    /// Builds the chain from `source` to `target`; ENU frames read and write geographic heights
    /// of kind `heights`.
    ///
    /// - Throws: ``GeoError`` when PROJ does not know a CRS or the geoid grid is missing.
    init(from source: End, to target: End, heights: HeightReference) throws(GeoError) {
        // The geographic CRS an ENU frame meets other CRSs in, lon/lat first after normalisation.
        let hub = heights == .orthometric ? "EPSG:4326+5773" : "EPSG:4979"
        var current: String
        switch source {
        case .crs(let crs):
            current = crs
        case .enu(let origin, let height):
            let frame = try LocalFrame(origin: origin, height: height, heights: heights)
            steps.append(.frame(frame, inverse: true))
            current = hub
            outputsDegrees = true
        }
        switch target {
        case .crs(let crs):
            // Even between equal CRSs: PROJ's no-op still says whether the output is in degrees.
            let transformer = try Transformer(from: current, to: crs)
            steps.append(.transformer(transformer))
            outputsDegrees = transformer.outputsDegrees()
        case .enu(let origin, let height):
            // Plain EPSG:4326 has no height of its own: its z is taken as `heights` says.
            if current != hub && current.uppercased() != "EPSG:4326" {
                let transformer = try Transformer(from: current, to: hub)
                steps.append(.transformer(transformer))
            }
            let frame = try LocalFrame(origin: origin, height: height, heights: heights)
            steps.append(.frame(frame, inverse: false))
            outputsDegrees = false
        }
    }

    /// Transforms the arrays in place; returns the indices of the points without a finite result.
    ///
    /// Every point is attempted: one bad point does not stop the others.
    func apply(x: inout [Double], y: inout [Double], z: inout [Double]) -> [Int] {
        var failed = false
        for step in steps {
            do { try step.run(&x, &y, &z) } catch { failed = true }
        }
        guard failed else { return [] }
        return x.indices.filter { !(x[$0].isFinite && y[$0].isFinite && z[$0].isFinite) }
    }

    /// Why one point cannot be transformed: PROJ's message from the step that fails, with the CRSs.
    func reason(for point: XYZ) -> String {
        var (x, y, z) = ([point.x], [point.y], [point.z])
        for step in steps {
            do {
                try step.run(&x, &y, &z)
            } catch {
                let what = error.message.replacingOccurrences(of: "point 0 ", with: "")
                return "\(error.location.map { "\($0): " } ?? "")(\(point.x), \(point.y), \(point.z)) \(what)"
            }
        }
        return "(\(point.x), \(point.y), \(point.z)) has no finite result"
    }
}
