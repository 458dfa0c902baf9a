import Foundation
import PatrolLink
import Testing

struct OperatorAllowlistTests {
    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("operators-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func readsNamesRolesAndKeysAndFindsTheOperatorOfAKey() throws {
        let alice = try CurveKeyPair.generate().publicKey
        let vic = try CurveKeyPair.generate().publicKey
        let url = try file("# operators\nalice: admin \"\(alice)\"  # on call\n\nvic: viewer \"\(vic)\"\n")
        let list = try OperatorAllowlist(contentsOf: url)
        #expect(list.identity(forKey: alice) == "alice")
        #expect(list.identity(forKey: vic) == "vic")
        #expect(list.identity(forKey: try CurveKeyPair.generate().publicKey) == nil)
        #expect(list.role(of: "alice") == .admin)
        #expect(list.role(of: "vic") == .viewer)
        #expect(list.handshakes.device(forKey: vic) == "vic")
        #expect(OperatorRole.viewer < .operator && OperatorRole.operator < .admin)
        // What `render` writes reads back the same.
        let again = try file(OperatorAllowlist.render(list.operators))
        #expect(try OperatorAllowlist.load(from: again) == list.operators)
    }

    @Test func badLinesAreRefusedWithFileAndLine() throws {
        let key = try CurveKeyPair.generate().publicKey
        let cases: [(String, String)] = [
            ("alice: superuser \"\(key)\"\n", ":1: alice: unknown role `superuser`"),
            ("alice: admin \(key)\n", ":1: alice: the key must be in double quotes"),
            ("# x\nalice: admin \"short\"\n", ":2:"),
            ("alice: admin \"\(key)\"\nbob: viewer \"\(key)\"\n", ":2: bob: the same key as alice"),
            ("alice: admin \"\(key)\"\nalice: viewer \"\(key)\"\n", ":2: alice: listed twice"),
        ]
        for (text, expected) in cases {
            let url = try file(text)
            #expect(throws: LinkError.self) { try OperatorAllowlist.load(from: url) }
            do {
                _ = try OperatorAllowlist.load(from: url)
            } catch {
                #expect(error.message.contains(url.path + expected), "\(error.message)")
            }
        }
    }

    @Test func reloadRevokesAnOperator() throws {
        let alice = try CurveKeyPair.generate().publicKey
        let bob = try CurveKeyPair.generate().publicKey
        let url = try file("alice: admin \"\(alice)\"\nbob: operator \"\(bob)\"\n")
        let list = try OperatorAllowlist(contentsOf: url)
        try "alice: admin \"\(alice)\"\n".write(to: url, atomically: true, encoding: .utf8)
        try list.reload(from: url)
        #expect(list.role(of: "bob") == nil)
        #expect(list.identity(forKey: bob) == nil)
        #expect(list.handshakes.device(forKey: bob) == nil)
    }
}
