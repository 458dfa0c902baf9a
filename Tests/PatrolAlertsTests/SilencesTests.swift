import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import Testing

struct SilencesTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)
    static let places: Set<String> = Set((1...19).map { String(format: "T%02d", $0) }).union(["hill"])

    func alert(
        _ id: String, _ kind: DetectionClass, at position: LonLat = LonLat(lon: 114.1312, lat: 22.5713),
        sources: [String: Double] = ["cam-1": 0.9], confirmed: Bool = false
    ) -> Alert {
        Alert(
            id: id, kind: kind, state: .new, position: position, positionError: 3, firstSeen: t0, lastSeen: t0,
            observations: 1, confidence: 0.9, source: sources.keys.sorted()[0], flightID: nil, sources: sources,
            confirmed: confirmed)
    }

    @Test func aSilenceCoversItsClassesPlacesSourcesAndWindowOnly() {
        let s = Silence(
            id: "s1", start: t0, end: t0 + 3600, classes: [.garbage], places: ["T07"], sources: ["hive-1", "gw-b2/*"],
            by: "ops", reason: "service")
        let t7 = Placement(tower: "T07")
        #expect(s.covers(kind: .garbage, placement: t7, sources: ["hive-1"], at: t0))
        #expect(s.covers(kind: .garbage, placement: t7, sources: ["gw-b2/smoke-3"], at: t0 + 3599))
        #expect(!s.covers(kind: .garbage, placement: t7, sources: ["hive-1"], at: t0 + 3600), "ends before its end")
        #expect(!s.covers(kind: .garbage, placement: t7, sources: ["hive-1"], at: t0 - 1))
        #expect(!s.covers(kind: .smoke, placement: t7, sources: ["hive-1"], at: t0))
        #expect(!s.covers(kind: .garbage, placement: Placement(tower: "T08"), sources: ["hive-1"], at: t0))
        #expect(!s.covers(kind: .garbage, placement: t7, sources: ["drone-9"], at: t0))
        let everything = Silence(id: "s2", start: t0, end: t0 + 60, by: "ops", reason: "drill")
        #expect(everything.covers(kind: .fire, placement: .site, sources: ["x"], at: t0))
    }

    @Test func aConfirmedFireMutesSmokeInItsTowerOnly() {
        let rule = InhibitionRule(when: [.fire], confirmed: true, mutes: [.smoke])
        let policy = SilencePolicy(inhibitions: [rule])
        let fire = alert("alert-1", .fire, sources: ["drone-1": 0.8, "gw/smoke-1": 1], confirmed: true)
        let smoke = alert("alert-2", .smoke, sources: ["gw/smoke-9": 1])
        let open = [(fire, Placement(tower: "T07"))]
        #expect(
            policy.suppression(of: smoke, at: Placement(tower: "T07"), time: t0, open: open)
                == .inhibited(by: "alert-1", rule: rule))
        #expect(policy.suppression(of: smoke, at: Placement(tower: "T08"), time: t0, open: open) == nil)
        var unconfirmed = fire
        unconfirmed.confirmed = false
        #expect(
            policy.suppression(
                of: smoke, at: Placement(tower: "T07"), time: t0, open: [(unconfirmed, .init(tower: "T07"))])
                == nil)
        #expect(
            policy.suppression(of: alert("alert-3", .garbage), at: .init(tower: "T07"), time: t0, open: open) == nil)
        // Outside towers: within the radius.
        let far = alert("alert-4", .smoke, at: LonLat(lon: 114.1400, lat: 22.5713))
        let near = alert("alert-5", .smoke, at: LonLat(lon: 114.1312, lat: 22.5717))
        let outside = [(fire, Placement.site)]
        #expect(policy.suppression(of: far, at: .site, time: t0, open: outside) == nil)
        #expect(policy.suppression(of: near, at: .site, time: t0, open: outside) != nil)
    }

    @Test func theSiteFileLoads() throws {
        let text = try String(
            contentsOf: EscalationPolicyTests.site.appendingPathComponent("silences.yaml"), encoding: .utf8)
        let policy = try SilencePolicy(yaml: text, file: "silences.yaml", places: Self.places)
        #expect(policy.silences.map(\.id) == ["hive-1-service-2026"])
        #expect(policy.silences[0].sources.contains("hive-1"))
        #expect(policy.silences[0].end.timeIntervalSince(policy.silences[0].start) == 4 * 3600)
        #expect(policy.inhibitions == [InhibitionRule(when: [.fire], confirmed: true, mutes: [.smoke], radius: 100)])
    }

    @Test(arguments: [
        ("places: [T99]", "silences.yaml:7", "no area or tower `T99`"),
        ("end: 2026-12-01T08:00:00+08:00", "silences.yaml:", "`end` must be after `start`"),
        ("start: tomorrow", "silences.yaml:", "is not a time"),
        ("colour: red", "silences.yaml:7", "unknown field `colour`"),
    ])
    func aBadFileNamesLineAndField(line: String, location: String, message: String) {
        let text = """
            silences:
              - id: s1
                start: 2026-12-01T09:00:00+08:00
                end: 2026-12-01T13:00:00+08:00
                by: ops
                reason: service
                \(line)
            """
        // A repeated key (start, end) is itself an error; use the last line as the odd one out.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let key = line.split(separator: ":")[0]
        let kept = lines.enumerated().filter { index, l in
            index == lines.count - 1 || !l.trimmingCharacters(in: .whitespaces).hasPrefix("\(key):")
        }.map(\.element).joined(separator: "\n")
        do {
            _ = try SilencePolicy(yaml: kept, file: "silences.yaml", places: Self.places)
            Issue.record("accepted: \(line)")
        } catch {
            #expect("\(error)".contains(location), "\(error)")
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
