import ArgumentParser
import Foundation
import PatrolGeo

extension Patrol {
    struct Transform: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transform coordinates read from standard input, like PROJ's cs2cs.",
            discussion: """
                Reads `x y [z]` per line (spaces or tabs; z defaults to 0; text after z is copied) and \
                writes `x<TAB>y z` per line. Axis order is normalised: longitude or easting first, latitude \
                or northing second, whatever the CRS's official order. (cs2cs uses the official order, so \
                it wants and prints `lat lon` for EPSG:4326 and `northing easting` for EPSG:4547.) Degrees \
                are printed with 9 decimals, metres with 4. Empty lines and lines starting with # are \
                copied.

                A CRS is anything PROJ accepts (EPSG:4547, a PROJ string, WKT) or `enu:LON,LAT[,H]`: a local \
                east-north-up frame in metres around that origin (WGS 84 ellipsoid), meeting other CRSs \
                through WGS 84 lon/lat/height. --heights says whether H and those geographic heights are \
                ellipsoidal or orthometric (EGM96 geoid grid); EPSG:4326 input is taken to carry that kind.

                A bad line prints `stdin:LINE: message` on standard error and `*<TAB>* *` in its place on \
                standard output; the other lines are still transformed, and the exit status is 1.
                """)

        @Option(help: "The CRS of the input: EPSG:4326, EPSG:4547, a PROJ string, or enu:LON,LAT[,H].")
        var from: String

        @Option(help: "The CRS of the output, in the same forms.")
        var to: String

        @Option(help: "Heights of ENU origins and of the geographic side of an ENU frame: ellipsoidal or orthometric.")
        var heights: Heights = .ellipsoidal

        func run() async throws {
            let chain: CoordinateChain
            do {
                chain = try CoordinateChain(from: .parse(from), to: .parse(to), heights: heights.reference)
            } catch { throw fail(error) }
            var batch = TransformBatch(chain: chain)
            var lineNumber = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                batch.add(line, number: lineNumber)
                if batch.isFull { batch.flush() }
            }
            batch.flush()
            if batch.badLines > 0 { throw ExitCode.failure }
        }
    }
}

/// `--heights` values; ``HeightReference`` is public in PatrolGeo, so it cannot conform here.
enum Heights: String, CaseIterable, ExpressibleByArgument {
    case ellipsoidal, orthometric

    var reference: HeightReference { self == .ellipsoidal ? .ellipsoidal : .orthometric }
}
