import Testing

@testable import PatrolLink

/// Strings without escapes take a shortcut when they are pure ASCII; every other string is still
/// validated as UTF-8. Both must read the same text, and invalid UTF-8 must still be refused.
struct JSONReaderStringTests {
    private func parse(_ bytes: [UInt8]) -> Result<String, JSONSyntaxError>? {
        do {
            let node = try bytes.withUnsafeBufferPointer { (b) throws(JSONSyntaxError) -> JSONNode in
                try JSONReader.parse(b)
            }
            if case .string(let s) = node { return .success(s) }
            return nil
        } catch {
            return .failure(error)
        }
    }

    private func quoted(_ body: [UInt8]) -> [UInt8] { [UInt8(ascii: "\"")] + body + [UInt8(ascii: "\"")] }

    @Test(arguments: ["", "bench-1", "flight-2026-11-26T01:30:00Z", "a b ~ { } [ ] : ,", "é", "hive Süd", "🚁 drone"])
    func validStringsReadAsWritten(_ text: String) throws {
        let result = try #require(parse(quoted(Array(text.utf8))))
        #expect(try result.get() == text)
    }

    @Test(
        arguments: [[0xC3], [0xFF], [0x61, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x62, 0xC0, 0xAF]] as [[UInt8]])
    func invalidUTF8IsRefused(_ body: [UInt8]) throws {
        let result = try #require(parse(quoted(body)))
        guard case .failure(let error) = result else {
            Issue.record("accepted invalid UTF-8 \(body)")
            return
        }
        #expect(error.reason == "invalid UTF-8 in a string")
    }

    @Test func escapedStringsStillRead() throws {
        let result = try #require(parse(Array(#""a\"b\u00e9\n""#.utf8)))
        #expect(try result.get() == "a\"bé\n")
    }
}
