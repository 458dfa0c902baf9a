import ArgumentParser
import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore

extension Patrol.Alerts {
    /// `patrol alerts report`: a resident's or a building steward's report becomes an observation.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a report typed in by a resident or steward as an observation.",
            discussion: """
                The report is placed at the building (a tower id such as T7 or T07: its footprint's centre, \
                ±20 m) or at --lon/--lat, and folded into the incidents like any sighting, the reporter being \
                its own independent source: it joins an open incident of the same kind there, or opens one, \
                which escalates as usual. The same report (reporter, class, place, text) given twice is \
                recorded once.
                """)

        @OptionGroup var options: AlertsOptions

        @Option(name: .customLong("class"), help: "What is reported (garbage, corridor_clutter, smoke, …).")
        var kind: String

        @Option(help: "The building: a tower id (T7, T07).")
        var building: String?

        @Option(help: "The floor, if inside a building.")
        var floor: Int?

        @Option(help: "Longitude, instead of --building.")
        var lon: Double?

        @Option(help: "Latitude, with --lon.")
        var lat: Double?

        @Option(help: "Who reports: a steward, a resident's id, a party id.")
        var by: String

        @Option(help: "How sure the reporter is, 0 to 1.")
        var confidence: Double = 0.9

        @Argument(help: "What they say.")
        var text: String

        func validate() throws {
            try checkActor(by)
            guard DetectionClass(rawValue: kind) != nil else {
                throw ValidationError(
                    "--class: unknown class `\(kind)`; expected one of: "
                        + DetectionClass.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard (building == nil) != (lon == nil || lat == nil) else {
                throw ValidationError("give --building, or --lon and --lat")
            }
            if let lon, let lat, !LonLat(lon: lon, lat: lat).isValid { throw ValidationError("--lon/--lat: not valid") }
            if let floor, !(-10...200).contains(floor) { throw ValidationError("--floor: -10 to 200") }
            guard confidence.isFinite, (0...1).contains(confidence) else {
                throw ValidationError("--confidence: 0 to 1")
            }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text.count <= 1000 else {
                throw ValidationError("say what is reported, in 1 to 1000 characters")
            }
        }

        func run() async throws {
            let engine = try options.engine()
            let rules = engine.rules
            let position: LonLat
            var place = ""
            if let building {
                guard let tower = Self.tower(building, in: rules.site) else {
                    throw fail(
                        CommandFailure(
                            "--building: no tower `\(building)` on \(rules.site.name); expected one of: "
                                + rules.site.towers.map(\.id).joined(separator: ", ")))
                }
                position = Self.centre(tower.footprint)
                place = " \(tower.id)" + (floor.map { " floor \($0)" } ?? "")
            } else {
                position = LonLat(lon: lon!, lat: lat!)
            }
            let kind = DetectionClass(rawValue: kind)!
            let device = "report/\(by)"
            // The same report twice is one observation: its id is a digest of what it says.
            let id =
                "report-"
                + String(Self.digest([by, kind.rawValue, place, text].joined(separator: "\u{1F}")), radix: 16)
            let detection = Detection(
                id: id, time: engine.clock.now(), kind: kind, confidence: confidence, position: position,
                positionError: building == nil ? 10 : 20, evidence: "report by \(by)\(place): \(text)")
            do {
                let store = engine.store
                let open = try store.alerts(states: Set(AlertState.allCases).subtracting(AlertFusion.endedStates))
                let since = engine.clock.now().addingTimeInterval(-FusionPolicy().relinkWindow)
                let ended = try store.alerts(states: AlertFusion.endedStates).filter { $0.lastSeen >= since }
                var fusion = AlertFusion(open: open, ended: ended, nextNumber: try store.nextAlertNumber())
                let outcome = try ObservationIntake.take(
                    detection, deviceID: device, source: device, flightID: nil, fusion: &fusion, store: store,
                    escalation: engine)
                switch outcome {
                case .duplicate: print("\(id): already recorded")
                case .opened(let alert):
                    try engine.fireDue()
                    print("\(id): opened \(alert.id) (\(alert.kind.rawValue)\(place))")
                case .joined(let alert, _):
                    print(
                        "\(id): joined \(alert.id), \(alert.observations) observations, \(alert.sources.count) sources")
                case .refuted(let alert, _): print("\(id): \(alert.id) is less certain now")
                case .ignored: print("\(id): recorded; too unsure to open an alert")
                }
            } catch { throw fail(error) }
        }

        /// A tower by id, `T7` being `T07`.
        static func tower(_ name: String, in site: Site) -> Tower? {
            if let exact = site.towers.first(where: { $0.id.caseInsensitiveCompare(name) == .orderedSame }) {
                return exact
            }
            guard name.uppercased().hasPrefix("T"), let n = Int(name.dropFirst()) else { return nil }
            return site.towers.first { $0.id == String(format: "T%02d", n) }
        }

        /// The mean of a footprint's corners (towers are small and convex).
        static func centre(_ polygon: GeoPolygon) -> LonLat {
            var ring = polygon.exterior
            if ring.count > 1, ring.first == ring.last { ring.removeLast() }
            let n = Double(max(ring.count, 1))
            return LonLat(lon: ring.map(\.lon).reduce(0, +) / n, lat: ring.map(\.lat).reduce(0, +) / n)
        }

        /// FNV-1a, 64 bits: stable across runs and machines (Swift's `Hasher` is seeded per process).
        static func digest(_ text: String) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
    }
}
