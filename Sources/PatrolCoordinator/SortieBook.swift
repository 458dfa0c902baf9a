import Foundation
import PatrolModel
import PatrolPlanner
import PatrolStore

/// The coordinator's sorties: every request, in the order made, with what is needed to launch,
/// follow and re-plan it. Owned by the ``Coordinator`` actor.
struct SortieBook {
    struct Entry {
        var request: SortieRequest
        var status: SortieStatus
        /// The full plan of the mission (the sortie flies it from ``SortieStatus/resumeFrom``).
        var plan: CoveragePlan
        var requestedAt: Date
        /// Set once the sortie's loss, pre-emption or weather recall has been handled.
        var cut = false
        /// A return or abort was commanded: from then on the drone turning back is no failsafe.
        var sentHome = false
        /// A paused (pre-empted) sortie waits for this sortie to end, then resumes.
        var resumeAfter: String?
        /// Whether its flight has ended (landed, refused or aborted), so the drone is free again.
        var landed = false
        /// For an urgent sortie: the routine sortie it pre-empted.
        var preempted: String?
        /// What happened to a robot round on its way (link lost, …), for the reason when it ends
        /// short (see `Coordinator+RobotSorties.swift`).
        var notes: [String] = []
        /// For a re-plan shifted for airspace separation: the sortie in its way. It may go as soon
        /// as that one has landed (see `Coordinator+Separation.swift`).
        var shiftedFor: String?
        /// For a scheduled sortie or round (a day applied, live or plain): its occurrence's due time.
        /// Its hold ends `window_min` after it, wherever a re-plan, a shift or a restart has moved
        /// the launch (see `Coordinator+LiveReplan.swift`, `Coordinator+RoundHolds.swift`).
        var due: Date?
        /// For a robot round moved later: the end of its hold (its new time plus its window, not
        /// past the patrol's next occurrence; see `Coordinator+RoundHolds.swift`).
        var holdUntil: Date?
        /// For a robot round moved off its robot when that robot was lost or faulted: the robot
        /// and the launch it had, to go back to when the robot is back (`Coordinator+RobotLoss.swift`).
        var movedOff: (robot: String, launch: Date)?

        /// Whether this is a ground robot's round rather than a drone's sortie.
        var isRound: Bool {
            if case .robotRound = request.mission.kind { return true }
            return false
        }
    }

    /// Sortie ids in request order.
    var order: [String] = []
    var entries: [String: Entry] = [:]
    var fleet: SortieFleet?
    /// The state last written to the store for each kept sortie (see `Coordinator+SortieQueue.swift`).
    var kept: [String: SortieState] = [:]
    /// What automatic verification and overwatch sorties fly (see ``Coordinator/configureVerification(_:)``).
    var verification: VerificationTemplate?
    /// Full plans by mission id (planning is deterministic; a mission is planned once).
    var plans: [String: CoveragePlan] = [:]
    /// Robot rounds as the scheduler sees them (edges, length), by mission id.
    var roundTasks: [String: RobotRoundTask] = [:]
    /// Each drone's last reported battery (fraction) and when.
    var battery: [String: (fraction: Double, at: Date)] = [:]
    /// Drones whose last telemetry outside a flight (docked) said `emergency`, and since when:
    /// refused at gating and out of the live day until they report another state.
    var dockedFaults: [String: Date] = [:]
    /// When each drone last landed.
    var landedAt: [String: Date] = [:]
    /// Each hive's last `hive_status`.
    var hiveStatus: [String: StoredHiveStatus] = [:]
    /// The earliest planned launch among queued sorties: nothing to do before it.
    var nextDue: Date?
    /// No due sortie is tried again before this (a second of the clock), unless something changed.
    var nextAttempt: Date?
    /// Launched sorties whose flight has not ended.
    var live: Set<String> = []
    /// Set while ``Coordinator/runSorties()`` runs, so a sortie queued meanwhile does not run it again.
    var running = false
    /// Counts sortie changes, so a caller of ``Coordinator/runSorties()`` knows whether any happened.
    var revision = 0
    /// When silences were last judged by the sortie layer.
    var livenessCheckedAt: Date?
    /// Seconds a scheduled sortie may wait past its planned launch for weather, charge or a free
    /// drone before it is refused (the mission's `schedule.window` when it has one).
    var defaultHold: Double = 1800
    /// How urgent sorties use drones in the air, and the diversions under way by urgent sortie id
    /// (see `Coordinator+Diversion.swift`).
    var diversionPolicy = DiversionPolicy()
    var diversions: [String: Diversion] = [:]
    /// Urgent sorties whose diversion failed: they are not diverted again.
    var undivertable: Set<String> = []
    /// Each drone's last reported position, height and state.
    var fixes: [String: AirborneFix] = [:]
    /// The applied day, re-planned live, and how (see `Coordinator+LiveReplan.swift`); events
    /// waiting for the next second's re-plan, the second of the last one, launched sorties'
    /// planned landings.
    var liveDay: LiveDay?
    var replanPolicy = LiveReplanPolicy()
    var pendingReplan: [String] = []
    var lastReplanSecond: Double?
    var plannedLanding: [String: Date] = [:]
    /// Robots lost on the link or faulted, and why: their queued rounds have been moved off them
    /// (see `Coordinator+RobotLoss.swift`).
    var robotsDown: [String: String] = [:]
    /// The re-plan being solved off the actor (see `Coordinator+ReplanSolve.swift`).
    var solving = ReplanSolving()

    var active: [Entry] {
        order.compactMap { entries[$0] }.filter { !$0.status.state.isFinal && $0.status.state != .queued }
    }

    @discardableResult
    mutating func add(_ entry: Entry) -> String {
        var id = entry.status.id
        var n = 2
        while entries[id] != nil {
            id = "\(entry.status.id)-\(n)"
            n += 1
        }
        var e = entry
        e.status.id = id
        entries[id] = e
        order.append(id)
        if e.status.state == .queued { nextDue = min(nextDue ?? e.status.plannedLaunch, e.status.plannedLaunch) }
        nextAttempt = nil
        return id
    }

    mutating func recomputeNextDue() {
        nextDue = order.compactMap { entries[$0] }.filter { $0.status.state == .queued }.map(\.status.plannedLaunch)
            .min()
    }
}
