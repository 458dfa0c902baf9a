import Foundation
import Testing

/// `patrol transform` run as a real process, checked against `cs2cs` values (proj-bin 9.1.1):
/// `echo "22.571 114.131 50" | cs2cs -f %.4f EPSG:4326 EPSG:4547` gives `2497035.5901 513472.5275 50.0000`,
/// `echo "22.571 114.131 50" | cs2cs -f %.4f EPSG:4979 EPSG:4978` gives
/// `-2409019.0930 5377621.7953 2432938.1842`.
struct TransformCommandTests {
    func transform(_ arguments: [String], _ input: String) async throws -> CommandLineTests.Outcome {
        try await CommandLineTests.run(["transform"] + arguments, input: input)
    }

    func numbers(_ line: Substring) -> [Double] {
        line.split { $0 == " " || $0 == "\t" }.compactMap { Double($0) }
    }

    @Test func projectsToTheSiteCRSAndBack() async throws {
        let r = try await transform(["--from", "EPSG:4326", "--to", "EPSG:4547"], "114.131 22.571 50\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "513472.5275\t2497035.5901 50.0000\n")
        let back = try await transform(["--from", "EPSG:4547", "--to", "EPSG:4326"], r.stdout)
        let p = numbers(back.stdout.split(separator: "\n")[0])
        #expect(abs(p[0] - 114.131) < 1e-8 && abs(p[1] - 22.571) < 1e-8)
    }

    @Test func geocentric() async throws {
        let r = try await transform(["--from", "EPSG:4979", "--to", "EPSG:4978"], "114.131\t22.571\t50\n")
        #expect(r.stdout == "-2409019.0930\t5377621.7953 2432938.1842\n", "\(r.stderr)")
    }

    @Test func siteENUFrameRoundTrip() async throws {
        let enu = ["--to", "enu:114.13,22.57,20", "--heights", "orthometric"]
        let r = try await transform(["--from", "EPSG:4326"] + enu, "114.131 22.571 50\n")
        let p = numbers(r.stdout.split(separator: "\n")[0])
        #expect(abs(p[0] - 102.8444) <= 0.01 && abs(p[1] - 110.7392) <= 0.01 && abs(p[2] - 30.0002) <= 0.01)
        let from = ["--from", "enu:114.13,22.57,20", "--heights", "orthometric"]
        let back = try await transform(from + ["--to", "EPSG:4326"], r.stdout)
        let q = numbers(back.stdout.split(separator: "\n")[0])
        #expect(abs(q[0] - 114.131) < 1e-8 && abs(q[1] - 22.571) < 1e-8 && abs(q[2] - 50) <= 0.01)
    }

    @Test func degreesArePrintedWithNineDecimalsEvenForANoOp() async throws {
        let same = try await transform(["--from", "EPSG:4326", "--to", "EPSG:4326"], "114.1 22.5\n")
        #expect(same.stdout == "114.100000000\t22.500000000 0.0000\n")
        let enu = try await transform(["--from", "enu:114.13,22.57,20", "--to", "EPSG:4979"], "0 0 0\n")
        #expect(enu.stdout == "114.130000000\t22.570000000 20.0000\n", "\(enu.stderr)")
    }

    @Test func badLinesAreReportedAndTheRestTransformed() async throws {
        let input = "114.131 22.571\nfoo 22\n114.13 95\n# note\n7\n114.131 22.571 nan\n114.131 22.571 0 tag\n"
        let r = try await transform(["--from", "EPSG:4326", "--to", "EPSG:4547"], input)
        #expect(r.status == 1)
        let out = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(out.count == 8)
        #expect(out[0].hasPrefix("513472.5275\t"))
        #expect(out[1] == "*\t* *" && out[2] == "*\t* *" && out[3] == "# note")
        #expect(out[6] == "513472.5275\t2497035.5901 0.0000 tag")
        let err = r.stderr.split(separator: "\n")
        #expect(err.count == 4, "\(r.stderr)")
        #expect(err[0] == "stdin:2: `foo` is not a finite number")
        #expect(err[1].hasPrefix("stdin:3: EPSG:4326 -> EPSG:4547: (114.13, 95.0, 0.0) cannot be transformed"))
        #expect(err[2] == "stdin:5: expected `x y [z]`, found 1 value")
        #expect(err[3] == "stdin:6: `nan` is not a finite number")
    }

    @Test func manyLinesStreamInBatches() async throws {
        let input = String(repeating: "114.131 22.571 50\n", count: 10_000)
        let r = try await transform(["--from", "EPSG:4326", "--to", "EPSG:4547"], input)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 10_000 && Set(lines).count == 1)
    }

    @Test func unknownCRSFailsWithPROJsMessage() async throws {
        let r = try await transform(["--from", "EPSG:4326", "--to", "EPSG:999999"], "1 2\n")
        #expect(r.status != 0)
        #expect(r.stderr.contains("EPSG:999999") && r.stderr.contains("crs not found"))
    }
}
