import Foundation
import PatrolGeo
public import PatrolModel

/// When an automatic action is taken.
public enum ActionTrigger: String, Hashable, Sendable, CaseIterable {
    /// A new incident is opened.
    case opened
    /// An incident becomes confirmed (a second independent source).
    case confirmed
}

/// What an automatic action does; the coordinator carries it out.
public enum ActionKind: String, Hashable, Sendable, CaseIterable, Codable {
    /// Ask the scheduler for a sortie to verify the incident (`CoordinatorEvent.verificationRequested`).
    case requestVerification = "request_verification"
    /// Ask the scheduler to keep a drone over the incident (`CoordinatorEvent.overwatchRequested`).
    case keepOverwatch = "keep_overwatch"
    /// Tell every connected robot to keep off the evacuation routes of the incident's tower (a `speak`
    /// command with the rule's words, recorded like every command).
    case clearEvacuationRoutes = "clear_evacuation_routes"
    /// Notify a party from the responsibility map (the fire service), recorded as a notification.
    case notify
}

/// One rule of `geo/<site>/actions.yaml`: on a trigger, for some classes, do something.
public struct ActionRule: Hashable, Sendable {
    public var on: ActionTrigger
    /// Empty for every class.
    public var classes: Set<DetectionClass>
    public var action: ActionKind
    /// For ``ActionKind/notify``: the party; for ``ActionKind/clearEvacuationRoutes``: the words to say.
    public var argument: String?

    public init(on: ActionTrigger, classes: Set<DetectionClass>, action: ActionKind, argument: String? = nil) {
        self.on = on
        self.classes = classes
        self.action = action
        self.argument = argument
    }
}

/// An action to take, with its reason: what the rule engine hands the coordinator.
public struct PlannedAction: Hashable, Sendable {
    public var alertID: String
    public var kind: ActionKind
    /// What it acts on: a device, a party, or the incident itself (`scheduler`).
    public var target: String
    /// The command's words or the notification's contact.
    public var detail: String
    public var reason: String

    public init(alertID: String, kind: ActionKind, target: String, detail: String, reason: String) {
        self.alertID = alertID
        self.kind = kind
        self.target = target
        self.detail = detail
        self.reason = reason
    }
}

/// Linked automatic actions by rule. Pure: given what happened to an incident, where it is and who
/// is around, it says what to do and why; the coordinator does it and records it.
public struct ActionRules: Hashable, Sendable {
    public var rules: [ActionRule]

    public init(rules: [ActionRule] = []) { self.rules = rules }

    /// The actions for `trigger` on `alert`.
    ///
    /// - Parameters:
    ///   - placement: where the incident is (its tower names the evacuation routes).
    ///   - robots: the robots connected now, for ``ActionKind/clearEvacuationRoutes``.
    ///   - contacts: each party's contact, for ``ActionKind/notify``.
    public func actions(
        _ trigger: ActionTrigger, alert: Alert, placement: Placement, robots: [String], contacts: [String: String]
    ) -> [PlannedAction] {
        var planned: [PlannedAction] = []
        let place = placement.tower.map { "tower \($0)" } ?? "the site"
        for rule in rules where rule.on == trigger && (rule.classes.isEmpty || rule.classes.contains(alert.kind)) {
            let why =
                "\(alert.kind.rawValue) \(trigger.rawValue) in \(place) (rule: on \(trigger.rawValue) \(rule.action.rawValue))"
            switch rule.action {
            case .requestVerification, .keepOverwatch:
                planned.append(
                    PlannedAction(
                        alertID: alert.id, kind: rule.action, target: "scheduler",
                        detail: String(format: "%.6f,%.6f", alert.position.lon, alert.position.lat), reason: why))
            case .clearEvacuationRoutes:
                let words = (rule.argument ?? "Keep the evacuation routes of {tower} clear")
                    .replacingOccurrences(of: "{tower}", with: placement.tower ?? "this building")
                for robot in robots.sorted() {
                    planned.append(
                        PlannedAction(
                            alertID: alert.id, kind: .clearEvacuationRoutes, target: robot, detail: words, reason: why))
                }
            case .notify:
                let party = rule.argument ?? ""
                planned.append(
                    PlannedAction(
                        alertID: alert.id, kind: .notify, target: party, detail: contacts[party] ?? "", reason: why))
            }
        }
        return planned
    }
}

extension ActionRules {
    /// Reads the rules from the text of a YAML file (`geo/<site>/actions.yaml`, optional).
    ///
    /// - Parameters:
    ///   - parties: the responsibility map's party ids, which `notify` may name.
    /// - Throws: ``LoadError`` naming the file, line and field of the first problem.
    public init(yaml text: String, file: String, parties: Set<String>) throws(LoadError) {
        let root = try YAMLNode(text: text, file: file).mapping(["rules"])
        var rules: [ActionRule] = []
        for node in try root.required("rules").list() {
            let fields = try node.mapping(["on", "classes", "do", "party", "say"])
            let on = try fields.required("on").choice(ActionTrigger.self)
            var classes: Set<DetectionClass> = []
            if let c = fields.optional("classes") { classes = try ResponsibilityMap.classes(c) }
            let action = try fields.required("do").choice(ActionKind.self)
            var argument: String?
            switch action {
            case .notify:
                let partyNode = try fields.required("party")
                let party = try partyNode.string()
                guard parties.contains(party) else {
                    throw partyNode.error(
                        "no party `\(party)` in the responsibility map; expected one of: "
                            + parties.sorted().joined(separator: ", "))
                }
                argument = party
            case .clearEvacuationRoutes:
                argument = try fields.optional("say")?.string()
            case .requestVerification, .keepOverwatch:
                break
            }
            if action != .notify, let extra = fields.optional("party") {
                throw extra.error("`party` is for `do: notify`")
            }
            rules.append(ActionRule(on: on, classes: classes, action: action, argument: argument))
        }
        self.init(rules: rules)
    }
}
