/// An error from coordinate transformation, geometry or geographic file handling.
///
/// Codes are static members over a private enum so new ones can be added without breaking
/// callers that switch over the ones they know.
public struct GeoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case unknownCRS, transformFailed, missingGrid, invalidGeometry, geometryOperationFailed, invalidGeoJSON
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// PROJ could not create a CRS or an operation between two CRSs.
        public static let unknownCRS = Code(.unknownCRS)
        /// A point could not be transformed (outside the CRS's domain, NaN, …).
        public static let transformFailed = Code(.transformFailed)
        /// A grid file PROJ needs (a geoid model for orthometric heights) is not installed.
        public static let missingGrid = Code(.missingGrid)
        /// A geometry is not valid (unclosed ring, self-intersection, too few points, …).
        public static let invalidGeometry = Code(.invalidGeometry)
        /// GEOS failed to compute an operation.
        public static let geometryOperationFailed = Code(.geometryOperationFailed)
        /// A GeoJSON document does not have the expected shape.
        public static let invalidGeoJSON = Code(.invalidGeoJSON)

        public var description: String {
            switch value {
            case .unknownCRS: "unknown CRS"
            case .transformFailed: "transform failed"
            case .missingGrid: "missing grid"
            case .invalidGeometry: "invalid geometry"
            case .geometryOperationFailed: "geometry operation failed"
            case .invalidGeoJSON: "invalid GeoJSON"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened and, where possible, what to do about it.
    public var message: String
    /// Where: a file and field path, or the CRS codes involved.
    public var location: String?

    public init(_ code: Code, _ message: String, location: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
