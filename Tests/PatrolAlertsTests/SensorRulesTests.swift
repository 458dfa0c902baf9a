import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import Testing

struct SensorRulesTests {
    static func siteRules() throws -> SensorRules {
        try SensorRules(yaml: EscalationPolicyTests.text("thresholds.yaml"), file: "thresholds.yaml")
    }

    @Test func theSiteSwitchesBasementFansOnForCO() throws {
        let rules = try Self.siteRules()
        #expect(rules.exceeded(kind: "co", value: 62.5, unit: "ppm")?.detectionClass == .gas)
        #expect(rules.exceeded(kind: "co", value: 50, unit: "ppm") == nil, "strictly above")
        #expect(rules.exceeded(kind: "co", value: 80, unit: "mg/m3") == nil, "another unit is not compared")
        #expect(rules.exceeded(kind: "smoke", value: 1, unit: "alarm")?.detectionClass == .smoke)
        #expect(rules.exceeded(kind: "h2s", value: 12, unit: "ppm")?.detectionClass == .gas)
        let fans = rules.actuations(kind: "co", zone: "b2-north")
        #expect(fans.map(\.actuator) == ["fan-b2-north"])
        #expect(fans.first?.device == "gw-b2")
        #expect(rules.actuations(kind: "smoke", zone: "b2-north").isEmpty)
        #expect(rules.actuations(kind: "co", zone: nil).isEmpty)
        #expect(rules.zones["b2-north"] != nil)
    }

    @Test(
        "bad rule files are refused naming the field",
        arguments: [
            ("thresholds:\n  - {kind: co2, above: 1, unit: ppm, class: gas}\n", "unknown sensor kind `co2`"),
            ("thresholds:\n  - {kind: co, above: x, unit: ppm, class: gas}\n", "expected a number"),
            ("thresholds:\n  - {kind: co, above: 1, unit: ppm, class: fumes}\n", "unknown class `fumes`"),
            ("thresholds:\n  - {kind: co, above: 1, unit: ppm, class: gas, colour: red}\n", "unknown field `colour`"),
            (
                "thresholds:\n  - {kind: co, above: 1, unit: ppm, class: gas}\n  - {kind: co, above: 2, unit: ppm, class: gas}\n",
                "a second threshold"
            ),
            (
                "thresholds: []\nactuations:\n  - {zone: b9, kinds: [co], device: gw, actuator: fan}\n",
                "no zone `b9` under `zones`"
            ),
            ("zones: []\n", "missing required field `thresholds`"),
        ])
    func refused(_ text: String, _ expected: String) {
        do {
            _ = try SensorRules(yaml: text, file: "t.yaml")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }
}
