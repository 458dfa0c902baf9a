import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// These tests check the message against the CAP 1.2 specification's content models (element
/// order, cardinality, required elements) and value lists by hand, without the schema;
/// `CAPSchemaTests` (EndToEndTests) validates it against the OASIS XSD with xmllint.
struct CAPMessageTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    /// CAP 1.2 sequences: each child with its minimum and maximum count (`Int.max` = unbounded), in order.
    static let sequences: [String: [(String, Int, Int)]] = [
        "alert": [
            ("identifier", 1, 1), ("sender", 1, 1), ("sent", 1, 1), ("status", 1, 1), ("msgType", 1, 1),
            ("source", 0, 1),
            ("scope", 1, 1), ("restriction", 0, 1), ("addresses", 0, 1), ("code", 0, .max), ("note", 0, 1),
            ("references", 0, 1), ("incidents", 0, 1), ("info", 0, .max),
        ],
        "info": [
            ("language", 0, 1), ("category", 1, .max), ("event", 1, 1), ("responseType", 0, .max), ("urgency", 1, 1),
            ("severity", 1, 1), ("certainty", 1, 1), ("audience", 0, 1), ("eventCode", 0, .max), ("effective", 0, 1),
            ("onset", 0, 1), ("expires", 0, 1), ("senderName", 0, 1), ("headline", 0, 1), ("description", 0, 1),
            ("instruction", 0, 1), ("web", 0, 1), ("contact", 0, 1), ("parameter", 0, .max), ("resource", 0, .max),
            ("area", 0, .max),
        ],
        "area": [
            ("areaDesc", 1, 1), ("polygon", 0, .max), ("circle", 0, .max), ("geocode", 0, .max), ("altitude", 0, 1),
            ("ceiling", 0, 1),
        ],
    ]

    static let values: [String: Set<String>] = [
        "status": ["Actual", "Exercise", "System", "Test", "Draft"],
        "msgType": ["Alert", "Update", "Cancel", "Ack", "Error"],
        "scope": ["Public", "Restricted", "Private"],
        "category": [
            "Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE",
            "Other",
        ],
        "urgency": ["Immediate", "Expected", "Future", "Past", "Unknown"],
        "severity": ["Extreme", "Severe", "Moderate", "Minor", "Unknown"],
        "certainty": ["Observed", "Likely", "Possible", "Unlikely", "Unknown"],
    ]

    /// Parses XML into (name, namespace, children, text) trees; `nil` when it is not well formed.
    final class Tree: NSObject, XMLParserDelegate {
        final class Node {
            var name: String
            var namespace: String?
            var children: [Node] = []
            var text = ""
            init(_ name: String, _ namespace: String?) {
                self.name = name
                self.namespace = namespace
            }
        }
        var stack: [Node] = [Node("#document", nil)]

        func parser(
            _ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            let node = Node(name, namespaceURI)
            stack.last?.children.append(node)
            stack.append(node)
        }
        func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
        func parser(_ p: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        static func parse(_ xml: String) -> Node? {
            let parser = XMLParser(data: Data(xml.utf8))
            parser.shouldProcessNamespaces = true
            let tree = Tree()
            parser.delegate = tree
            return parser.parse() ? tree.stack.first?.children.first : nil
        }
    }

    /// Problems with `node` against the CAP sequences, recursively.
    static func check(_ node: Tree.Node) -> [String] {
        var problems: [String] = []
        if node.namespace != "urn:oasis:names:tc:emergency:cap:1.2" {
            problems.append("\(node.name): not in the CAP 1.2 namespace")
        }
        if let allowed = values[node.name], !allowed.contains(node.text) {
            problems.append("\(node.name): `\(node.text)` is not a CAP value")
        }
        guard let sequence = sequences[node.name] else { return problems }
        var i = 0
        for (name, min, max) in sequence {
            var count = 0
            while i < node.children.count, node.children[i].name == name {
                count += 1
                i += 1
            }
            if count < min || count > max {
                problems.append("\(node.name): \(count) <\(name)>, expected \(min) to \(max)")
            }
        }
        if i < node.children.count {
            problems.append("\(node.name): <\(node.children[i].name)> out of order or unknown")
        }
        return problems + node.children.flatMap(check)
    }

    func alert(_ kind: DetectionClass, state: AlertState = .dispatched) -> Alert {
        Alert(
            id: "alert-7", kind: kind, state: state, position: LonLat(lon: 114.1312160, lat: 22.5713542),
            positionError: 4, firstSeen: t0,
            lastSeen: t0 + 90, observations: 3, confidence: 0.92, source: "smoke-T07-1203", flightID: nil)
    }

    @Test(arguments: DetectionClass.allCases)
    func everyClassGivesAValidMessage(kind: DetectionClass) throws {
        let message = CAPMessage(
            sender: "patrol@mumianling", senderName: "Mumianling <Community> & Co", areaDescription: "tower T07")
        let xml = message.render(alert(kind), sent: t0)
        let root = try #require(Tree.parse(xml), "not well-formed XML:\n\(xml)")
        #expect(root.name == "alert")
        #expect(Self.check(root) == [], "\(xml)")
        let fields = Dictionary(root.children.map { ($0.name, $0.text) }, uniquingKeysWith: { a, _ in a })
        #expect(fields["sent"] == "2025-11-25T10:00:00+08:00")
        #expect(fields["scope"] != "Restricted" || fields["restriction"] != nil, "Restricted needs <restriction>")
        #expect(fields["identifier"].map { !$0.contains(where: { " ,<&".contains($0) }) } == true)
        let circle = try #require(
            root.children.first { $0.name == "info" }?.children.first { $0.name == "area" }?.children.first {
                $0.name == "circle"
            })
        #expect(circle.text.wholeMatch(of: /-?\d+\.\d+,-?\d+\.\d+ \d+\.\d+/) != nil)
        #expect(circle.text.hasPrefix("22.571354,114.131216 "), "CAP circles are latitude first")
    }

    @Test func theCategoryFollowsTheClassAndTheUrgencyTheState() throws {
        let message = CAPMessage(sender: "patrol", senderName: "Mumianling", areaDescription: "plaza")
        #expect(message.render(alert(.fire), sent: t0).contains("<category>Fire</category>"))
        #expect(message.render(alert(.garbage), sent: t0).contains("<category>Env</category>"))
        #expect(message.render(alert(.gas, state: .resolved), sent: t0).contains("<urgency>Past</urgency>"))
    }

    @Test func theCheckCatchesAMisorderedOrIncompleteMessage() throws {
        let xml = CAPMessage(sender: "patrol", senderName: "Mumianling", areaDescription: "plaza").render(
            alert(.garbage), sent: t0)
        let swapped = xml.replacingOccurrences(
            of: "<status>Actual</status>\n  <msgType>Alert</msgType>",
            with: "<msgType>Alert</msgType>\n  <status>Actual</status>")
        #expect(!Self.check(try #require(Tree.parse(swapped))).isEmpty)
        let noEvent = xml.replacingOccurrences(of: "<event>Exposed garbage</event>", with: "")
        #expect(Self.check(try #require(Tree.parse(noEvent))).contains("info: 0 <event>, expected 1 to 1"))
    }
}
