import Foundation
import PatrolGeo
import PatrolLink

/// What `patrol watch` shows, built from the event stream: devices, sorties, recent incident
/// events. In plain mode each event is one line as it comes; on a terminal the whole view is
/// redrawn (at most four times a second).
struct WatchView {
    struct Device {
        var state = "online"
        var battery: Double?
        var position: (Double, Double)?
        var flight: String?
        var connected = true
    }

    struct Sortie {
        var device: String?
        var waypoint = 0
        var waypoints = 0
        var state = "uploaded"
    }

    let endpoint: String
    let plain: Bool
    /// Whether only some topics are subscribed to: gaps in `seq` are then expected, not losses.
    var filtered = false
    private(set) var devices: [String: Device] = [:]
    private(set) var sorties: [String: Sortie] = [:]
    private(set) var recent: [String] = []
    private var status = "connecting"
    private var lastSequence: UInt64 = 0
    private var missed: UInt64 = 0
    private var dirty = true
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(endpoint: String, plain: Bool) {
        self.endpoint = endpoint
        self.plain = plain
    }

    /// A decoded document; `nil` fields when the document is not what docs/events.md says.
    struct Document: Decodable {
        var schema: Int
        var seq: UInt64
        var topic: String
        var time: String
        var data: JSONValue
    }

    mutating func connecting() { say("stream   connecting to \(endpoint)…", status: "connecting") }

    mutating func reconnecting(after seconds: Double) {
        say(String(format: "stream   no heartbeat for %.0f s: reconnecting…", seconds), status: "reconnecting…")
    }

    /// The stream speaks again after a silence: "connected" if it never had (a slow first
    /// heartbeat), "back" otherwise.
    mutating func resumed() { say(lastSequence == 0 ? "stream   connected" : "stream   back", status: "live") }

    mutating func receive(_ event: ReceivedEvent) {
        guard let doc = try? JSONDecoder().decode(Document.self, from: Data(event.document)) else {
            say("stream   a document that does not decode, on \(event.topic)", status: status)
            return
        }
        if status == "connecting" { say("stream   connected", status: "live") }
        if status != "live" { status = "live" }
        if doc.seq <= lastSequence {
            say("stream   the coordinator restarted (seq \(lastSequence) → \(doc.seq))", status: "live")
        } else if !filtered, lastSequence > 0, doc.seq > lastSequence + 1 {
            missed += doc.seq - lastSequence - 1
            say("stream   missed \(doc.seq - lastSequence - 1) events", status: "live")
        }
        lastSequence = doc.seq
        apply(doc)
    }

    mutating func tick() { if !plain { draw() } }

    // MARK: Events

    private mutating func apply(_ doc: Document) {
        let d = doc.data
        let time = String(doc.time.dropFirst(11).prefix(8))
        let flight = d["flight_id"]?.string ?? "?"
        let device = d["device"]?.string ?? "?"
        switch doc.topic {
        case EventPublisher.heartbeatTopic:
            dirty = true
        case "device.online":
            devices[device, default: Device()].connected = true
            line("\(time) device   \(device) online")
        case "device.lost":
            devices[device, default: Device()].connected = false
            line("\(time) device   \(device) LOST")
        case "device.resumed":
            devices[device, default: Device()].connected = true
            line("\(time) device   \(device) back")
        case "device.error":
            line("\(time) device   \(device) error: \(d["message"]?.string ?? "")")
        case "device.actuator":
            line("\(time) device   \(device)/\(d["actuator"]?.string ?? "?") \(d["on"]?.bool == true ? "on" : "off")")
        case "sortie.uploaded":
            sorties[flight] = Sortie(device: device, waypoints: d["waypoints"]?.int ?? 0)
            line("\(time) sortie   \(flight) uploaded to \(device), \(d["waypoints"]?.int ?? 0) waypoints")
        case "sortie.accepted", "sortie.started":
            let word = doc.topic == "sortie.started" ? "started" : "accepted"
            sorties[flight, default: Sortie()].state = word
            line("\(time) sortie   \(flight) \(word)")
        case "sortie.progress":
            var s = sorties[flight, default: Sortie(device: device)]
            s.waypoint = d["waypoint"]?.int ?? s.waypoint
            s.waypoints = d["waypoints"]?.int ?? s.waypoints
            if s.state == "started" || s.state == "accepted" { s.state = "flying" }
            sorties[flight] = s
            // On a terminal the bar is in the sorties table; the events list keeps the rest.
            if plain {
                emit(
                    "\(time) sortie   \(flight) \(Self.bar(s.waypoint, s.waypoints)) waypoint \(s.waypoint)/\(s.waypoints)"
                )
            }
            dirty = true
        case "sortie.paused", "sortie.resumed", "sortie.returning":
            let word = String(doc.topic.dropFirst("sortie.".count))
            sorties[flight, default: Sortie()].state = word
            line("\(time) sortie   \(flight) \(word)")
        case "sortie.state":
            let state = d["state"]?.string ?? "?"
            sorties[flight, default: Sortie(device: d["vehicle"]?.string)].state = state
            let why = d["reason"]?.string.map { ": \($0)" } ?? ""
            line(
                "\(time) sortie   \(flight) \(state) (\(d["mission"]?.string ?? "?") on \(d["vehicle"]?.string ?? "-"))\(why)"
            )
        case "sortie.event":
            line("\(time) sortie   \(flight) \(d["kind"]?.string ?? "event")")
        case "sortie.landed", "sortie.aborted":
            let word = doc.topic == "sortie.landed" ? "landed" : "aborted"
            var s = sorties[flight, default: Sortie()]
            s.state = word
            if word == "landed" {
                s.waypoint = s.waypoints
                if let device = d["device"]?.string { devices[device, default: Device()].state = "landed" }
            }
            sorties[flight] = s
            let why = d["reason"]?.string.map { ": \($0)" } ?? ""
            line("\(time) sortie   \(flight) \(word)\(why)")
        case let topic where topic.hasPrefix("telemetry."):
            var dev = devices[device, default: Device()]
            dev.state = d["state"]?.string ?? dev.state
            dev.battery = d["battery"]?.number
            if let lon = d["lon"]?.number, let lat = d["lat"]?.number { dev.position = (lon, lat) }
            dev.flight = d["flight_id"]?.string
            devices[device] = dev
            if plain {
                emit(
                    String(
                        format: "%@ telemetry %@ %@ battery %.0f%% waypoint %d/%d", time, device, dev.state,
                        (dev.battery ?? 0) * 100, d["waypoint"]?.int ?? 0, d["waypoints"]?.int ?? 0))
            }
            dirty = true
        case let topic where topic.hasPrefix("incident."):
            incident(doc, time: time)
        default:
            line("\(time) \(doc.topic)")
        }
    }

    private mutating func incident(_ doc: Document, time: String) {
        let d = doc.data
        let what = String(doc.topic.dropFirst("incident.".count))
        if let i = d["incident"], d["incident_id"] == nil {
            line(
                String(
                    format: "%@ incident %@ %@ %@ (%@) confidence %.2f, %d sightings%@", time, i["id"]?.string ?? "?",
                    what, i["kind"]?.string ?? "?", i["state"]?.string ?? "?", i["confidence"]?.number ?? 0,
                    i["observations"]?.int ?? 0, i["confirmed"]?.bool == true ? ", confirmed" : ""))
            return
        }
        let id = d["incident_id"]?.string ?? "?"
        switch what {
        case "state":
            line(
                "\(time) incident \(id) \(d["from"]?.string ?? "-") → \(d["to"]?.string ?? "?") by "
                    + "\(d["actor"]?.string ?? "?"): \(d["reason"]?.string ?? "")")
        case "escalated":
            line(
                "\(time) incident \(id) escalated to \(d["recipient"]?.string ?? "?") (\(d["level"]?.string ?? "?"))"
                    + (d["reminder"]?.bool == true ? ", reminder" : ""))
        case "linked":
            line("\(time) incident \(id) re-ignition of \(d["previous"]?.string ?? "?")")
        default:
            line("\(time) incident \(id) \(what)")
        }
    }

    // MARK: Output

    private mutating func line(_ text: String) {
        recent.append(text)
        if recent.count > 12 { recent.removeFirst(recent.count - 12) }
        dirty = true
        if plain { emit(text) } else { draw() }
    }

    private mutating func say(_ text: String, status: String) {
        self.status = status
        line(text)
    }

    private func emit(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

    private mutating func draw() {
        guard dirty, ContinuousClock.now - lastDraw >= .milliseconds(250) else { return }
        dirty = false
        lastDraw = ContinuousClock.now
        var screen = "\u{1B}[H\u{1B}[2J"
        screen += "patrol watch  \(endpoint)  [\(status)]  seq \(lastSequence)"
        screen += missed > 0 ? "  missed \(missed)\n\n" : "\n\n"
        screen += "DEVICES\n"
        for (id, d) in devices.sorted(by: { $0.key < $1.key }) {
            let battery = d.battery.map { String(format: "%3.0f%%", $0 * 100) } ?? "   -"
            let position = d.position.map { String(format: "%.5f, %.5f", $0.0, $0.1) } ?? ""
            screen += "  \(id.padded(14)) \((d.connected ? d.state : "LOST").padded(11)) \(battery)  \(position)\n"
        }
        screen += "\nSORTIES\n"
        for (id, s) in sorties.sorted(by: { $0.key < $1.key }) {
            screen += "  \(id) \(s.state.padded(9)) \(Self.bar(s.waypoint, s.waypoints)) \(s.waypoint)/\(s.waypoints)\n"
        }
        screen += "\nEVENTS\n"
        for text in recent { screen += "  \(text)\n" }
        FileHandle.standardOutput.write(Data(screen.utf8))
    }

    /// `[#######.............]  35%`, 20 characters wide.
    static func bar(_ done: Int, _ total: Int) -> String {
        let fraction = total > 0 ? min(1, max(0, Double(done) / Double(total))) : 0
        let filled = Int((fraction * 20).rounded())
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
            + String(format: " %3.0f%%", fraction * 100)
    }
}

extension JSONValue {
    fileprivate subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    fileprivate var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    fileprivate var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    fileprivate var int: Int? { number.map { Int($0) } }

    fileprivate var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
