public import Foundation
import PatrolGeo
public import PatrolModel

/// An incident as an OASIS Common Alerting Protocol 1.2 message (`urn:oasis:names:tc:emergency:cap:1.2`).
///
/// The elements come in the order the CAP 1.2 schema's sequences require: `alert` (identifier,
/// sender, sent, status, msgType, scope, restriction, info), `info` (language, category, event,
/// urgency, severity, certainty, senderName, headline, description, area) and `area` (areaDesc,
/// circle). Pure: it renders text; the caller writes it.
public struct CAPMessage: Sendable {
    /// Who sends it: no spaces, commas or `<`/`&` (CAP's rule for `sender`), such as `patrol@mumianling`.
    public var sender: String
    /// The human name of the sender, such as the community's name.
    public var senderName: String
    /// The place, for `areaDesc`.
    public var areaDescription: String
    /// The offset of the local time written in `sent`, seconds east of UTC (Shenzhen: +08:00).
    public var utcOffset: Int

    public init(sender: String, senderName: String, areaDescription: String, utcOffset: Int = 8 * 3600) {
        self.sender = sender
        self.senderName = senderName
        self.areaDescription = areaDescription
        self.utcOffset = utcOffset
    }

    /// CAP's values for one class: category, event name, urgency and severity.
    public static func terms(for kind: DetectionClass) -> (
        category: String, event: String, urgency: String, severity: String
    ) {
        switch kind {
        case .fire: ("Fire", "Fire", "Immediate", "Severe")
        case .smoke: ("Fire", "Smoke", "Immediate", "Severe")
        case .gas: ("Safety", "Gas leak", "Immediate", "Severe")
        case .personFallen: ("Rescue", "Person fallen", "Immediate", "Moderate")
        case .objectThrown: ("Safety", "Object thrown from height", "Immediate", "Moderate")
        case .garbage: ("Env", "Exposed garbage", "Expected", "Minor")
        case .corridorClutter: ("Safety", "Corridor clutter", "Expected", "Minor")
        case .illegalParking: ("Transport", "Illegal parking", "Expected", "Minor")
        case .equipmentFault: ("Infra", "Equipment fault", "Expected", "Moderate")
        }
    }

    /// CAP's certainty for an incident: observed when confirmed by independent sources, seen surely or
    /// more than once, else likely or possible.
    public static func certainty(_ alert: Alert) -> String {
        if alert.state == .falseAlarm { return "Unlikely" }
        if alert.confirmed || alert.confidence >= 0.8 || alert.observations > 1 { return "Observed" }
        return alert.confidence >= 0.5 ? "Likely" : "Possible"
    }

    /// `sent` as CAP wants it: `YYYY-MM-DDThh:mm:ss±hh:mm`, no fractions, no `Z`.
    public func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: utcOffset) ?? TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let sign = utcOffset < 0 ? "-" : "+"
        let offset = abs(utcOffset)
        let local = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
        return local + sign + String(format: "%02d:%02d", offset / 3600, offset % 3600 / 60)
    }

    /// The message for `alert`, sent at `sent`.
    public func render(_ alert: Alert, sent: Date) -> String {
        let terms = Self.terms(for: alert.kind)
        let finished = AlertLifecycle.finished.contains(alert.state)
        let radiusKm = max(alert.positionError * 2, 10) / 1000
        let circle = String(format: "%.6f,%.6f %.3f", alert.position.lat, alert.position.lon, radiusKm)
        let description =
            "\(terms.event) seen \(alert.observations) time(s) by \(alert.source), "
            + "first at \(timestamp(alert.firstSeen)), last at \(timestamp(alert.lastSeen)); "
            + "confidence \(String(format: "%.2f", alert.confidence)); state \(alert.state.rawValue)."
        let lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">"#,
            element("identifier", Self.token("\(sender).\(alert.id)"), 1),
            element("sender", Self.token(sender), 1),
            element("sent", timestamp(sent), 1),
            element("status", "Actual", 1),
            element("msgType", "Alert", 1),
            element("scope", "Restricted", 1),
            element("restriction", "Community operations staff and the parties responsible for the incident", 1),
            "  <info>",
            element("language", "en-US", 2),
            element("category", terms.category, 2),
            element("event", terms.event, 2),
            element("urgency", finished ? "Past" : terms.urgency, 2),
            element("severity", terms.severity, 2),
            element("certainty", Self.certainty(alert), 2),
            element("senderName", senderName, 2),
            element("headline", "\(terms.event) at \(areaDescription)", 2),
            element("description", description, 2),
            "    <area>",
            element("areaDesc", areaDescription, 3),
            element("circle", circle, 3),
            "    </area>",
            "  </info>",
            "</alert>",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    func element(_ name: String, _ text: String, _ depth: Int) -> String {
        String(repeating: "  ", count: depth) + "<\(name)>\(Self.escape(text))</\(name)>"
    }

    /// Text made safe for XML character data.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A value CAP allows in `identifier` and `sender`: spaces, commas, `<` and `&` become `_`.
    static func token(_ text: String) -> String {
        String(text.map { " ,<&".contains($0) ? "_" : $0 })
    }
}
