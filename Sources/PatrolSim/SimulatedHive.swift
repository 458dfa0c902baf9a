public import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// A software-in-the-loop drone dock: a door that takes time to open and close (and can jam), a
/// pad with precision landing, a charger with a charging curve, and a weather station fed by the
/// scenario's weather over the day. It tells the coordinator about itself with `hive_status` and
/// heartbeats, and nothing else: the wire protocol is its only link to the coordinator.
///
/// The drone that lives in it talks to it locally, as a real drone and its dock do over their own
/// cable or radio: the drone asks ``launchRefusal()`` before it answers a `start`, waits for the
/// door, and lands with ``land(battery:)``.
///
/// In lockstep runs whoever drives the virtual clock calls ``step()`` after each advance (it sends
/// what is due without waiting) and then ``settle()`` (it waits until the coordinator has handled
/// all of it), so the record is the same however fast the machine is.
public final class SimulatedHive {
    /// How a landing on the pad went.
    public struct Landing: Hashable, Sendable {
        /// Distance from the pad's centre where the drone came to rest, metres.
        public var offset: Double
        /// Touch-downs it took (a landing beyond the tolerance lifts off and tries again).
        public var attempts: Int
        /// Whether the drone is on the pad inside the dock (charging); `false` when the door was
        /// jammed shut or no attempt landed within the tolerance.
        public var docked: Bool
    }

    public let id: String
    let spec: HiveSpec
    let timeline: WeatherTimeline
    let start: Date
    let clock: VirtualClock
    let session: LockstepLink
    var random: SeededRandom
    /// How many `hive_status` messages were sent.
    public private(set) var statusesSent = 0
    /// Whether the door is fully open (not moving, not jammed shut).
    public private(set) var doorOpen = false
    /// The door's motion under way: towards open or closed, finishing when.
    var doorMotion: (opening: Bool, until: Date)?
    /// Whether the door has jammed (a scenario fault); it stays where it was.
    public private(set) var doorStuck = false
    /// The state of charge of the drone on the pad, `nil` when the pad is empty.
    public private(set) var padBattery: Double?
    /// Whether the hive has gone silent (a scenario fault).
    public private(set) var offline = false
    var lastUpdate: Date
    var lastBeat: Date?
    var lastStatusAt: Date?
    var lastReported: (door: HiveStatus.Door, charging: Bool)?
    var outstandingEchoes = 0

    /// A hive with the default dock whose weather never changes (sensor scenarios).
    /// - Parameter link: a connected client whose identity is `id`.
    public convenience init(
        id: String, weather: SensorScenario.Weather, clock: VirtualClock, link: LinkClient, logger: Logger
    ) {
        self.init(
            id: id, spec: HiveSpec(), weather: WeatherTimeline(constant: weather), start: clock.now(), seed: 0,
            clock: clock, link: link, logger: logger)
    }

    /// - Parameters:
    ///   - spec: the dock, its launch limits and its faults.
    ///   - weather: the scenario's weather; times are seconds after `start`.
    ///   - seed: draws the precision-landing errors (a generator of its own, so the drone's draws do not change).
    ///   - link: a connected client whose identity is `id`.
    public init(
        id: String, spec: HiveSpec, weather: WeatherTimeline, start: Date, seed: UInt64, clock: VirtualClock,
        link: LinkClient, logger: Logger
    ) {
        self.id = id
        self.spec = spec
        self.timeline = weather
        self.start = start
        self.clock = clock
        self.random = SeededRandom(seed: seed ^ 0x4849_5645)
        self.session = LockstepLink(name: id, link: link, clock: clock, logger: logger)
        self.lastUpdate = clock.now()
    }

    // MARK: Talking to the coordinator

    /// Says hello and waits for the welcome.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator does not answer in time.
    public func hello() async throws(SimulatedGateway.Failure) {
        try await session.hello(
            Hello(kind: .hive, capabilities: ["weather", "door", "charger"], firmware: "patrol-sim/1"))
    }

    /// Sends one status at the clock's current time and waits until it has been handled.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func report() async throws(SimulatedGateway.Failure) {
        update()
        sendStatus()
        try await settle()
    }

    /// Heartbeat and wait for its echo.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func barrier() async throws(SimulatedGateway.Failure) {
        session.send(.heartbeat)
        outstandingEchoes += 1
        try await settle()
    }

    /// Brings the dock up to the clock's time and sends what is due, without waiting: a heartbeat
    /// every second, a status when the door or charging changed and every ``HiveSpec/statusInterval``.
    /// A hive that has gone offline sends nothing.
    public func step() {
        update()
        guard !offline else { return }
        let now = clock.now()
        let changed = lastReported.map { $0.door != doorState || $0.charging != charging } ?? true
        let due = lastStatusAt.map { now.timeIntervalSince($0) >= spec.statusInterval } ?? true
        if changed || due { sendStatus() }
        if lastBeat.map({ now.timeIntervalSince($0) >= 1 }) ?? true {
            session.send(.heartbeat)
            outstandingEchoes += 1
            lastBeat = now
        }
    }

    /// Waits until the coordinator has echoed every heartbeat sent: it has handled all the hive sent.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func settle() async throws(SimulatedGateway.Failure) {
        while outstandingEchoes > 0 {
            try await session.expect("heartbeat echo", handle: answer) { $0 == .heartbeat }
            outstandingEchoes -= 1
        }
    }

    /// Commands for the hive itself: it owns no actuator or loudspeaker the coordinator may drive.
    private func answer(_ message: WireMessage) {
        guard case .command(let command) = message else { return }
        session.send(
            .commandAck(CommandAck(commandID: command.id, accepted: false, reason: "not supported by this hive")))
    }

    private func sendStatus() {
        let w = weather
        func tenth(_ x: Double) -> Double { (x * 10).rounded() / 10 }
        let status = HiveStatus(
            door: doorState, charging: charging, windSpeed: tenth(w.windSpeed), windFrom: tenth(w.windFrom),
            rain: tenth(w.rain), temperature: tenth(w.temperature))
        session.send(.hiveStatus(status))
        session.send(.heartbeat)
        outstandingEchoes += 1
        statusesSent += 1
        lastStatusAt = clock.now()
        lastBeat = clock.now()
        lastReported = (status.door, status.charging)
    }

    // MARK: The dock

    /// The weather station's reading now.
    public var weather: SensorScenario.Weather { timeline.weather(at: clock.now().timeIntervalSince(start)) }

    /// The door as `hive_status` reports it.
    public var doorState: HiveStatus.Door {
        if doorStuck { return .stuck }
        if doorMotion != nil { return .moving }
        return doorOpen ? .open : .closed
    }

    /// Whether the pad's charger is charging a drone now.
    public var charging: Bool { padBattery.map { $0 < spec.charger.full } ?? false }

    /// Moves the door, charges the drone on the pad and applies the scenario's faults, up to now.
    func update() {
        let now = clock.now()
        let elapsed = now.timeIntervalSince(start)
        if let at = spec.doorStuckAt, !doorStuck, elapsed >= at {
            doorStuck = true
            // Jammed mid-way, it is neither open enough to fly through nor shut.
            if doorMotion != nil { doorOpen = false }
            doorMotion = nil
        }
        if let motion = doorMotion, now >= motion.until {
            doorOpen = motion.opening
            doorMotion = nil
        }
        if let battery = padBattery {
            padBattery = spec.charger.charge(from: battery, for: max(0, now.timeIntervalSince(lastUpdate)))
        }
        if let at = spec.offlineAt, elapsed >= at { offline = true }
        lastUpdate = now
    }

    /// Why the dock will not launch now (door jammed, weather outside its limits), or `nil`.
    public func launchRefusal() -> String? {
        update()
        if doorStuck { return "hive \(id): door stuck" }
        return spec.launchRefusal(weather).map { "hive \(id): \($0)" }
    }

    /// Starts opening the door; nothing when it is open, opening or jammed.
    public func openDoor() {
        update()
        guard !doorStuck, !doorOpen, doorMotion?.opening != true else { return }
        doorMotion = (true, clock.now().addingTimeInterval(spec.doorOpenTime))
    }

    /// Starts closing the door; nothing when it is closed, closing or jammed.
    public func closeDoor() {
        update()
        guard !doorStuck, doorOpen || doorMotion?.opening == true else { return }
        doorMotion = (false, clock.now().addingTimeInterval(spec.doorCloseTime))
    }

    /// Whether a drone can pass the door now.
    public var canPass: Bool { doorOpen && doorMotion == nil }

    /// Whether the door is still moving (the drone waits for it).
    public var doorMoving: Bool { doorMotion != nil }

    /// The drone has taken off: the pad is empty and the door closes behind it.
    public func droneLeft() {
        update()
        padBattery = nil
        closeDoor()
    }

    /// Puts a drone with state of charge `battery` on the pad (its start of day), the door shut.
    public func dock(battery: Double) {
        update()
        padBattery = battery
    }

    /// A drone with state of charge `battery` comes down onto the pad by precision landing:
    /// each touch-down lands off the centre by a seeded error; beyond the tolerance it lifts off
    /// and tries again, up to ``HiveSpec/landingAttempts``. Docked, it charges and the door closes.
    /// With the door jammed shut it lands on the hive's roof, not docked.
    public func land(battery: Double) -> Landing {
        update()
        var offset = 0.0
        var attempts = 0
        var within = false
        while attempts < max(1, spec.landingAttempts), !within {
            attempts += 1
            let dx = random.gaussian(deviation: spec.landingDeviation)
            let dy = random.gaussian(deviation: spec.landingDeviation)
            offset = (dx * dx + dy * dy).squareRoot()
            within = offset <= spec.padTolerance
        }
        let docked = canPass && within
        if docked {
            padBattery = battery
            closeDoor()
        }
        return Landing(offset: offset, attempts: attempts, docked: docked)
    }
}
