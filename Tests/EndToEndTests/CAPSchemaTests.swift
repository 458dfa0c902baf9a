import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

/// Patrol's CAP export validated against the OASIS CAP 1.2 XML Schema (Tests/Fixtures/cap) with
/// xmllint, for every class and every state.
struct CAPSchemaTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)
    static let schema = TestKit.file("Tests/Fixtures/cap/CAP-v1.2.xsd")

    /// Runs `xmllint --noout --schema` on `xml`; the status and what it said.
    static func validate(_ xml: String, in directory: URL, name: String) throws -> (Int32, String) {
        let file = directory.appendingPathComponent(name)
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--schema", schema.path, file.path]
        let output = Pipe()
        process.standardError = output
        process.standardOutput = output
        try process.run()
        let text = String(decoding: PipeReading.readToEnd(output.fileHandleForReading), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    func alert(_ kind: DetectionClass, state: AlertState) -> Alert {
        Alert(
            id: "alert-7", kind: kind, state: state, position: LonLat(lon: 114.131216, lat: 22.571354),
            positionError: 6.5, firstSeen: t0, lastSeen: t0 + 90, observations: 3, confidence: 0.92,
            source: "smoke-T07-1203", flightID: nil, sources: ["smoke-T07-1203": 0.8, "drone-1": 0.6], confirmed: true)
    }

    @Test(.timeLimit(.minutes(2)))
    func everyExportIsValidAgainstTheOASISSchema() async throws {
        let directory = TestKit.temporaryDirectory("patrol-cap")
        let message = CAPMessage(
            sender: "patrol@mumianling", senderName: "Mumianling <Community> & Co", areaDescription: "tower T07")
        var documents: [(String, String)] = []
        for kind in DetectionClass.allCases {
            for state in [AlertState.new, .acknowledged, .resolved, .falseAlarm] {
                documents.append(
                    ("\(kind.rawValue)-\(state.rawValue).xml", message.render(alert(kind, state: state), sent: t0)))
            }
        }
        let results = try await TestKit.offPool { [documents] in
            try documents.map { name, xml in (name, try Self.validate(xml, in: directory, name: name)) }
        }
        for (name, (status, said)) in results {
            #expect(status == 0, "\(name): \(said) (is xmllint installed? scripts/ensure-deps)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theSchemaCatchesAnInvalidMessage() async throws {
        let directory = TestKit.temporaryDirectory("patrol-cap")
        let xml = CAPMessage(sender: "patrol", senderName: "Mumianling", areaDescription: "plaza")
            .render(alert(.garbage, state: .new), sent: t0)
            .replacingOccurrences(of: "<status>Actual</status>", with: "<status>Real</status>")
        let (status, said) = try await TestKit.offPool { try Self.validate(xml, in: directory, name: "bad.xml") }
        #expect(status != 0)
        #expect(said.contains("status"), "\(said)")
    }
}
