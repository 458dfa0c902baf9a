import Foundation
import PatrolAlerts
import PatrolModel
import Testing

struct EscalationPolicyTests {
    static let site = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geo/mumianling")
    static let towers = Set((1...19).map { String(format: "T%02d", $0) })
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    static func text(_ name: String) throws -> String {
        try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8)
    }

    static func map(_ text: String? = nil) throws -> ResponsibilityMap {
        try ResponsibilityMap(
            yaml: text ?? Self.text("responsibility.yaml"), file: "responsibility.yaml", areas: ["hill"], towers: towers
        )
    }

    static func policy(_ text: String? = nil) throws -> EscalationPolicy {
        try EscalationPolicy(yaml: text ?? Self.text("escalation.yaml"), file: "escalation.yaml", map: map())
    }

    @Test func theSiteFilesSayWhoAnswersFirst() throws {
        let map = try Self.map()
        #expect(map.parties.count >= 10)
        #expect(Set(map.parties.values.map(\.kind)).count >= 10)
        #expect(map.responsible(for: .garbage, at: .site).id == "luohu-sanitation")
        #expect(map.responsible(for: .garbage, at: Placement(areas: ["hill"])).id == "hill-greening")
        #expect(map.responsible(for: .corridorClutter, at: Placement(tower: "T03")).id == "steward-north")
        #expect(map.responsible(for: .corridorClutter, at: Placement(tower: "T12")).id == "steward-south")
        #expect(map.responsible(for: .corridorClutter, at: .site).id == "mml-property")
        #expect(map.responsible(for: .gas, at: Placement(tower: "T07")).id == "shenzhen-gas")
    }

    @Test func garbageClimbsEveryThirtyMinutesWithRemindersBetween() throws {
        let policy = try Self.policy()
        var deadline = policy.start(alertID: "a", kind: .garbage, at: t0, responsible: "luohu-sanitation")
        var steps: [String] = []
        for _ in 0..<9 {
            let minute = Int(deadline.due.timeIntervalSince(t0) / 60)
            let who = policy.notifications(for: deadline, at: deadline.due).map(\.recipient).joined(separator: "+")
            steps.append("\(minute)\(deadline.reminder ? "r" : ""):\(who)")
            deadline = policy.next(after: deadline, kind: .garbage, now: deadline.due)
        }
        #expect(
            steps == [
                "0:luohu-sanitation", "10r:luohu-sanitation", "20r:luohu-sanitation", "30:mumianling-office",
                "40r:mumianling-office",
                "50r:mumianling-office", "60:street-enforcement", "70r:street-enforcement", "80r:street-enforcement",
            ])
    }

    @Test func aFireNotifiesEveryLevelAtOnce() throws {
        let policy = try Self.policy()
        let first = policy.start(alertID: "a", kind: .fire, at: t0, responsible: "mml-emergency")
        #expect(first.due == t0)
        #expect(
            policy.notifications(for: first, at: t0).map(\.recipient) == [
                "mml-emergency", "mumianling-office", "street-enforcement",
            ])
        let reminder = policy.next(after: first, kind: .fire, now: t0)
        #expect(reminder.due == t0 + 300 && reminder.reminder && reminder.levels == [0, 1, 2])
    }

    @Test func aLateEngineSendsOneReminderNotABurstAndSkipsNoLevel() throws {
        let policy = try Self.policy()
        let first = policy.start(alertID: "a", kind: .garbage, at: t0, responsible: "x")
        let next = policy.next(after: first, kind: .garbage, now: t0 + 25 * 60)
        #expect(next.due == t0 + 20 * 60 && next.reminder)
        let level = policy.next(after: next, kind: .garbage, now: t0 + 25 * 60)
        #expect(level.due == t0 + 30 * 60 && level.levels == [1] && !level.reminder)
    }

    @Test func aDeadlineFromALongerPolicyStillReachesSomeone() throws {
        let short = EscalationPolicy(
            levels: [
                .init(name: "outer_loop", notify: "responsible", after: 0),
                .init(name: "office", notify: "o", after: 1800),
            ],
            remindEvery: 600, severe: [], severeRemindEvery: 600)
        let stale = EscalationDeadline(
            alertID: "a", due: t0, startedAt: t0, levels: [2], reminder: false, responsible: "p")
        #expect(short.notifications(for: stale, at: t0).map(\.recipient) == ["o"])
        #expect(short.next(after: stale, kind: .garbage, now: t0).levels == [2])
        #expect(short.recipient(level: 7, responsible: "p") == "p")
    }

    @Test(arguments: [
        (
            "responsibility.yaml", "kind: sanitation_contractor", "kind: sanitation_crew",
            "responsibility.yaml:24:11: parties[4].kind: unknown party kind"
        ),
        (
            "responsibility.yaml", "classes: [illegal_parking]", "classes: [illegal_parkin]",
            "rules[3].classes[0]: unknown class `illegal_parkin`"
        ),
        ("responsibility.yaml", "party: mml-parking", "party: nobody", "rules[3].party: no party `nobody`"),
        ("responsibility.yaml", "towers: [T01,", "towers: [T99,", "rules[1].towers[0]: the site has no tower `T99`"),
        (
            "responsibility.yaml", "default_party: mml-property", "default_pary: mml-property",
            "default_pary: unknown field"
        ),
        ("escalation.yaml", "after_min: 60", "after_min: 20", "levels[2].after_min: levels come in time order"),
        ("escalation.yaml", "notify: mumianling-office", "notify: mayor", "levels[1].notify: no party `mayor`"),
        ("escalation.yaml", "remind_every_min: 10", "remind_every_min: 0", "remind_every_min: 0.0 is out of range"),
        ("escalation.yaml", "remind_every_min: 10", "remind_every_min: [10", "escalation.yaml:19:1: YAML syntax error"),
        ("escalation.yaml", "after_min: 0", "after_min: 5", "levels[0].after_min: the first level starts at once"),
    ])
    func badFilesNameFileLineAndField(file: String, find: String, replace: String, expected: String) throws {
        let text = try Self.text(file)
        #expect(text.contains(find), "the fixture no longer contains \(find)")
        let broken = text.replacingOccurrences(of: find, with: replace)
        do {
            if file == "escalation.yaml" { _ = try Self.policy(broken) } else { _ = try Self.map(broken) }
            Issue.record("\(file) with `\(replace)` was accepted")
        } catch let error as LoadError {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.line != nil, "\(error) has no line")
        }
    }
}
