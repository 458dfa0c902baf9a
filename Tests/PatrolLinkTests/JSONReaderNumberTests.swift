import Foundation
import PatrolModel
import Testing

@testable import PatrolLink

/// Decimals read straight from their bytes (the exact fast path) must give the very double that
/// `Double(String)` gives, and literals outside that path must still be read.
struct JSONReaderNumberTests {
    private func read(_ text: String) throws -> Double {
        let node = try Array(text.utf8).withUnsafeBufferPointer { (b) throws(JSONSyntaxError) -> JSONNode in
            try JSONReader.parse(b)
        }
        guard case .number(let n) = node else { throw JSONSyntaxErrorForTest() }
        return n.double
    }

    @Test(arguments: [
        "114.0581", "22.5433", "-33.8688", "0.86", "52.4", "7.9", "0.1", "-0.0", "0.000001", "1e3", "1.5E-7",
        "123456789012345.6", "9007199254740993.5", "1e-300", "1e300", "2.2250738585072014e-308",
        "17976931348623157e292",
        "0.30000000000000004", "-1.25e+2", "4.35", "1234567.8901234567",
    ])
    func literalsMatchTheStandardReader(_ text: String) throws {
        let expected = try #require(Double(text))
        #expect(try read(text).bitPattern == expected.bitPattern)
    }

    @Test func seededDecimalsMatchTheStandardReader() throws {
        var random = SeededRandom(seed: 5)
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...17, using: &random)
            var text = Bool.random(using: &random) ? "-" : ""
            let integer = Int.random(in: 0...digits, using: &random)
            text +=
                integer == 0
                ? "0"
                : String(
                    (0..<integer).map { i in
                        Character(
                            String(
                                i == 0 ? Int.random(in: 1...9, using: &random) : Int.random(in: 0...9, using: &random)))
                    })
            if integer < digits {
                text +=
                    "."
                    + String(
                        (0..<(digits - integer)).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            }
            if Int.random(in: 0..<4, using: &random) == 0 { text += "e\(Int.random(in: -30...30, using: &random))" }
            let expected = try #require(Double(text))
            let got = try read(text)
            #expect(got.bitPattern == expected.bitPattern, "\(text)")
            if got.bitPattern != expected.bitPattern { break }
        }
    }
}

private struct JSONSyntaxErrorForTest: Error {}
