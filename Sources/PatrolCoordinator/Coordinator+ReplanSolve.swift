import Foundation
import Logging
import PatrolModel
public import PatrolPlanner

/// What one live re-plan solves: Sendable values only, taken on the coordinator's actor when the
/// re-plan is asked for, so that the scheduler runs off it (see `Coordinator+ReplanSolve.swift`).
public struct ReplanInput: Sendable {
    /// The day's problem with the live outages and resume points.
    public var problem: ScheduleProblem
    /// The sorties flown and flying, kept as they fly.
    public var flown: [Sortie]
    /// The occurrences the day as last planned left unscheduled.
    public var unscheduled: [Unscheduled]
    /// Seconds after local midnight: nothing new launches before.
    public var at: Double
    /// The day as applied, then as last re-planned (what still fits stays there).
    public var keeping: [[Sortie]]
    /// The rests of cut-short sorties to place: each is a patrol of its own in `problem` (one
    /// occurrence, due when the sortie was cut, held for its patrol's window, resumed from where it
    /// stopped).
    public var rests: [Rest] = []

    /// The rest of a cut-short sortie as the scheduler sees it.
    public struct Rest: Sendable, Hashable {
        /// Its patrol's id in `problem` (`PATROL+rest:SORTIE`).
        public var id: String
        /// The patrol it is the rest of.
        public var patrol: String
        /// The waypoint it resumes from.
        public var from: Int
    }

    /// The scheduler's answer: ``Scheduler/replan(_:flown:unscheduled:at:keeping:)``. A rest
    /// that finds no drone and time within its hold is left out and its patrol's next occurrence
    /// resumes where it stopped instead (``ScheduleProblem/resume``): the day is solved again so.
    public func solve() -> DaySchedule {
        let plan = Scheduler.replan(problem, flown: flown, unscheduled: unscheduled, at: at, keeping: keeping)
        let placed = Set(plan.sorties.map(\.patrol))
        let lost = rests.filter { !placed.contains($0.id) }
        guard !lost.isEmpty else { return plan }
        var again = problem
        let ids = Set(lost.map(\.id))
        again.patrols.removeAll { ids.contains($0.id) }
        for rest in lost {
            again.resume[rest.id] = nil
            again.resume[rest.patrol] = rest.from
        }
        return Scheduler.replan(again, flown: flown, unscheduled: unscheduled, at: at, keeping: keeping)
    }
}

/// The re-plan being solved off the actor, and the count that says whether the day has changed
/// since its snapshot. Kept in the ``SortieBook``.
struct ReplanSolving {
    struct Job {
        /// Which job this is (a finished solve is matched to its job by it).
        var token: Int
        /// ``ReplanSolving/generation`` when the snapshot was taken: the result is applied only
        /// while it is still the current one.
        var generation: Int
        var input: ReplanInput
        /// The occurrences flown or flying when the snapshot was taken: not reconciled.
        var fixed: Set<String>
        var triggers: [String]
        /// When the re-plan was asked for, on the coordinator's clock.
        var at: Date
        /// When its first trigger was seen (wall clock), for the wait between trigger and apply.
        var since: ContinuousClock.Instant
        /// When its solve started (wall clock).
        var started: ContinuousClock.Instant
        var task: Task<ReplanSolved, Never>
    }

    var generation = 0
    var lastToken = 0
    var job: Job?
    /// When the first of the triggers waiting in ``SortieBook/pendingReplan`` was seen.
    var pendingSince: ContinuousClock.Instant?
    /// Solves whose result was discarded because the day changed meanwhile.
    var discarded = 0
    /// Solves started, for tests and metrics.
    var started = 0
}

/// A finished solve: the plan and its wall-clock time.
struct ReplanSolved: Sendable {
    var plan: DaySchedule
    var milliseconds: Double
}

/// Solving the live re-plan off the coordinator's actor.
///
/// ``Coordinator/replanDay(now:triggers:)`` takes a snapshot of what the scheduler needs
/// (``ReplanInput``: problem, outages, resume points, the sorties flown, the plans to keep) and
/// solves it on a thread of its own (not the cooperative pool, which the actor and the link's
/// hand-offs need); meanwhile frames are handled and launches are gated on the queue as it is.
/// The result is applied back on the actor only if the day has not changed since the snapshot
/// (``ReplanSolving/generation``: new triggers bump it); otherwise it is discarded and the day is
/// solved again from the newer state. At most one solve is in flight, and the triggers that come
/// meanwhile wait for the next.
///
/// When it is applied depends on ``LiveReplanPolicy/applying``: on the wall clock as soon as it is
/// ready; on a ``VirtualClock`` (simulations and tests) only in ``Coordinator/settled()``, which
/// the simulation calls before it moves the clock, so a run is the same however fast the machine
/// is. Should the clock move with a solve not settled, the next ``Coordinator/runSorties()``
/// solves the same snapshot on the actor and applies it: the same result at the same point.
extension Coordinator {
    /// Waits for the re-plan being solved (if any) and applies it, and for any re-plan its
    /// discarding starts; returns when no solve is in flight. Simulations on a virtual clock call
    /// it before moving the clock (a re-plan is then applied at the instant it was asked for).
    ///
    /// - Returns: whether any sortie changed meanwhile (moved, queued, launched, refused).
    @discardableResult
    public func settled() async -> Bool {
        let revision = sortieBook.revision
        while let job = sortieBook.solving.job {
            let solved = await job.task.value
            finishReplan(token: job.token, solved: solved)
        }
        return sortieBook.revision != revision
    }

    /// How many re-plans were solved, and how many of them were discarded because the day changed
    /// while they were being solved.
    public func replanSolves() -> (started: Int, discarded: Int) {
        (sortieBook.solving.started, sortieBook.solving.discarded)
    }

    /// When a finished solve is applied: as soon as it is ready, or only in ``settled()``.
    var appliesWhenReady: Bool {
        switch sortieBook.replanPolicy.applying {
        case .whenReady, .onActor: true
        case .whenSettled: false
        case .automatic: !(clock is VirtualClock)
        }
    }

    /// Whether a due sortie waits for the re-plan being solved rather than launch on the queue as
    /// it is: a scheduled sortie of the live day (the re-plan is about to say which drone flies it
    /// and when; the local fallbacks would decide first, and a refusal is for good). Urgent and
    /// operator sorties and robot rounds go meanwhile. On the wall clock it waits at most
    /// ``maximumReplanWait``; on a virtual clock until ``settled()`` (at the same instant of the
    /// clock).
    func waitsForReplan(_ entry: SortieBook.Entry) -> Bool {
        guard let job = sortieBook.solving.job, entry.request.origin == .scheduled, !entry.isRound,
            entry.status.launchedAt == nil, entry.due != nil
        else { return false }
        return !appliesWhenReady || ContinuousClock.now - job.started < Self.maximumReplanWait
    }

    /// How long, on the wall clock, a due sortie of the day waits for a re-plan being solved.
    static let maximumReplanWait = Duration.seconds(5)

    /// Notes the triggers seen: they wait for the next solve, and a solve in flight is stale.
    func noteReplanTriggers(_ triggers: [String]) {
        guard !triggers.isEmpty else { return }
        if sortieBook.pendingReplan.isEmpty { sortieBook.solving.pendingSince = .now }
        sortieBook.pendingReplan += triggers
        if sortieBook.solving.job != nil { sortieBook.solving.generation += 1 }
    }

    /// Starts a solve for the triggers waiting, unless one is in flight or one was started in this
    /// second of the clock (events of the same second make one re-plan).
    func startReplanIfDue(now: Date) {
        guard sortieBook.replanPolicy.enabled, sortieBook.solving.job == nil, !sortieBook.pendingReplan.isEmpty,
            sortieBook.liveDay != nil
        else { return }
        let second = now.timeIntervalSince1970.rounded(.down)
        if sortieBook.lastReplanSecond == second { return }
        sortieBook.lastReplanSecond = second
        let pending = sortieBook.pendingReplan
        sortieBook.pendingReplan = []
        replanDay(now: now, triggers: pending)
    }

    /// On a clock that applies at ``settled()``: a solve still in flight once the clock has moved
    /// past the instant it was asked for is solved here, on the actor, and applied, so that the
    /// result lands at the same point of the run whatever the thread did.
    func settleIfClockMoved(now: Date) {
        guard !appliesWhenReady, let job = sortieBook.solving.job, now > job.at else { return }
        logger.debug("re-plan settled on the actor: the clock moved before settled()")
        finishReplan(token: job.token, solved: Self.solve(job.input, solver: sortieBook.replanPolicy.solver))
    }

    /// Starts solving `input` off the actor as job `token`.
    func startSolve(
        _ input: ReplanInput, fixed: Set<String>, triggers: [String], now: Date
    ) {
        sortieBook.solving.lastToken += 1
        sortieBook.solving.started += 1
        let token = sortieBook.solving.lastToken
        let solver = sortieBook.replanPolicy.solver
        if sortieBook.replanPolicy.applying == .onActor {
            let solved = Self.solve(input, solver: solver)
            sortieBook.solving.job = ReplanSolving.Job(
                token: token, generation: sortieBook.solving.generation, input: input, fixed: fixed, triggers: triggers,
                at: now, since: sortieBook.solving.pendingSince ?? .now, started: .now, task: Task { solved })
            sortieBook.solving.pendingSince = nil
            finishReplan(token: token, solved: solved)
            return
        }
        let task = Task.detached { await Self.solveOnThread(input, solver: solver) }
        sortieBook.solving.job = ReplanSolving.Job(
            token: token, generation: sortieBook.solving.generation, input: input, fixed: fixed, triggers: triggers,
            at: now, since: sortieBook.solving.pendingSince ?? .now, started: .now, task: task)
        sortieBook.solving.pendingSince = nil
        guard appliesWhenReady else { return }
        Task { [weak self] in
            let solved = await task.value
            await self?.finishReplan(token: token, solved: solved)
        }
    }

    /// Applies the solve of job `token` if the day has not changed since its snapshot; otherwise
    /// discards it, its triggers waiting again. Then starts the next solve if one is due.
    func finishReplan(token: Int, solved: ReplanSolved) {
        guard let job = sortieBook.solving.job, job.token == token else { return }
        sortieBook.solving.job = nil
        let now = clock.now()
        let wait = ContinuousClock.now - job.since
        // Applied outside `runSorties()` (in `settled()`, or when ready): the sorties it queues
        // must not run the queue in the middle of the reconciling; it runs once after.
        let running = sortieBook.running
        defer { if !running { runSorties() } }
        if job.generation == sortieBook.solving.generation, sortieBook.liveDay != nil,
            sortieBook.replanPolicy.enabled
        {
            sortieBook.running = true
            applyReplan(
                solved.plan, fixed: job.fixed, rests: Set(job.input.rests.map(\.id)), triggers: job.triggers, now: now,
                solveMilliseconds: solved.milliseconds, waitMilliseconds: Self.milliseconds(wait))
            sortieBook.running = running
        } else {
            sortieBook.solving.discarded += 1
            sortieBook.pendingReplan = job.triggers + sortieBook.pendingReplan
            sortieBook.solving.pendingSince = job.since
            // Solved again from the newer state at once, even within the same second.
            sortieBook.lastReplanSecond = nil
            logger.info(
                "re-plan discarded: the day changed while it was solved",
                metadata: ["replan.trigger": "\(job.triggers.joined(separator: ", "))"])
        }
        startReplanIfDue(now: now)
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// Solves `input` (with `solver` when a test gives one) and times it.
    static func solve(_ input: ReplanInput, solver: (@Sendable (ReplanInput) -> DaySchedule)?) -> ReplanSolved {
        let began = ContinuousClock.now
        let plan = solver?(input) ?? input.solve()
        return ReplanSolved(plan: plan, milliseconds: milliseconds(ContinuousClock.now - began))
    }

    /// Solves on a thread of its own: a solve of half a second must not hold one of the
    /// cooperative pool's few threads (two on a small gateway).
    static func solveOnThread(_ input: ReplanInput, solver: (@Sendable (ReplanInput) -> DaySchedule)?) async
        -> ReplanSolved
    {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: solve(input, solver: solver)) }
            thread.name = "patrol-replan"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
