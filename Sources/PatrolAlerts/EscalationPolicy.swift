public import Foundation
public import PatrolModel

/// How an unhandled incident climbs: the responsible party first (the outer loop), then, while
/// nobody acknowledges it, the community office, then street enforcement, with repeat reminders.
/// Severe classes (fire, gas) go to every level at once.
///
/// Pure: it says when the next step falls due; the escalation engine persists and fires them.
public struct EscalationPolicy: Hashable, Sendable {
    /// One rung of the ladder.
    public struct Level: Hashable, Sendable {
        /// The level's name, such as `community_office`.
        public var name: String
        /// The party to notify, or ``EscalationPolicy/responsible`` for the responsible party.
        public var notify: String
        /// How long after escalation starts the level takes the incident, seconds.
        public var after: TimeInterval

        public init(name: String, notify: String, after: TimeInterval) {
            self.name = name
            self.notify = notify
            self.after = after
        }
    }

    /// The `notify` value that means "the party the responsibility map names".
    public static let responsible = "responsible"

    /// The levels, in order; the first one starts at once.
    public var levels: [Level]
    /// The interval between reminders to the level that holds an unacknowledged incident, seconds.
    public var remindEvery: TimeInterval
    /// Classes that notify every level at once.
    public var severe: Set<DetectionClass>
    /// The interval between reminders for severe classes, seconds.
    public var severeRemindEvery: TimeInterval

    public init(
        levels: [Level], remindEvery: TimeInterval, severe: Set<DetectionClass>, severeRemindEvery: TimeInterval
    ) {
        precondition(
            !levels.isEmpty && remindEvery > 0 && severeRemindEvery > 0,
            "an escalation policy needs levels and intervals")
        self.levels = levels
        self.remindEvery = remindEvery
        self.severe = severe
        self.severeRemindEvery = severeRemindEvery
    }

    /// The site's default: outer loop at once, community office after 30 minutes, street
    /// enforcement after 60, reminders every 10 minutes; fire, smoke and gas to everyone at once.
    public static func standard(office: String, enforcement: String) -> EscalationPolicy {
        EscalationPolicy(
            levels: [
                Level(name: "outer_loop", notify: responsible, after: 0),
                Level(name: "community_office", notify: office, after: 30 * 60),
                Level(name: "street_enforcement", notify: enforcement, after: 60 * 60),
            ], remindEvery: 10 * 60, severe: [.fire, .smoke, .gas], severeRemindEvery: 5 * 60)
    }

    /// The first deadline for an incident of `kind` whose escalation starts at `start`.
    public func start(alertID: String, kind: DetectionClass, at start: Date, responsible: String) -> EscalationDeadline
    {
        let levels = severe.contains(kind) ? Array(self.levels.indices) : [0]
        return EscalationDeadline(
            alertID: alertID, due: start, startedAt: start, levels: levels, reminder: false, responsible: responsible)
    }

    /// The deadline that follows `fired` for an incident of `kind`: the next level when it falls
    /// due before the next reminder, otherwise a reminder to the level(s) holding the incident.
    ///
    /// An engine catching up after a pause sends no burst: reminders already overtaken by a due
    /// level are skipped, and of several past reminders only the latest is kept. A level is never
    /// skipped.
    public func next(after fired: EscalationDeadline, kind: DetectionClass, now: Date) -> EscalationDeadline {
        let isSevere = severe.contains(kind)
        let interval = isSevere ? severeRemindEvery : remindEvery
        // A stored level beyond the policy's last (the file lost a level) counts as the last.
        let current = min(fired.levels.max() ?? 0, levels.count - 1)
        var reminder = fired.due.addingTimeInterval(interval)
        let nextLevel = current + 1 < levels.count ? fired.startedAt.addingTimeInterval(levels[current + 1].after) : nil
        // The next level comes first when it is due before the next reminder, or already due.
        if !isSevere, let nextLevel, nextLevel <= reminder || nextLevel <= now {
            var deadline = fired
            deadline.due = nextLevel
            deadline.levels = [current + 1]
            deadline.reminder = false
            return deadline
        }
        // Catch up: the latest reminder instant not after now (but never past the next level).
        while reminder.addingTimeInterval(interval) <= now,
            nextLevel.map({ reminder.addingTimeInterval(interval) < $0 }) ?? true
        {
            reminder = reminder.addingTimeInterval(interval)
        }
        var deadline = fired
        deadline.due = reminder
        deadline.reminder = true
        return deadline
    }

    /// The party to notify at level `index` of a deadline whose responsible party is `responsible`.
    ///
    /// A level the policy no longer has (the file changed under a stored deadline) goes to the
    /// responsible party rather than nowhere.
    public func recipient(level index: Int, responsible: String) -> String {
        guard levels.indices.contains(index) else { return responsible }
        let notify = levels[index].notify
        return notify == Self.responsible ? responsible : notify
    }

    /// The notifications a deadline sends when it fires at `now`.
    public func notifications(for deadline: EscalationDeadline, at now: Date) -> [AlertNotification] {
        let indices = deadline.levels.map { min(max($0, 0), levels.count - 1) }
        return indices.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }.map { index in
            AlertNotification(
                alertID: deadline.alertID, level: levels[index].name,
                recipient: recipient(level: index, responsible: deadline.responsible), at: now, due: deadline.due,
                reminder: deadline.reminder)
        }
    }
}
