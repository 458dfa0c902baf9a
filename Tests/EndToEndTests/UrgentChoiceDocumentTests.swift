import Foundation
import PatrolModel
import PatrolPlanner
import Testing

@testable import PatrolCoordinator

/// An urgent sortie's choice as the event stream publishes it.
struct UrgentChoiceDocumentTests {
    @Test func theChoiceIsPublishedWithTheSortiesState() throws {
        var status = SortieStatus(
            id: "verify-1", missionID: "verify", vehicle: "drone-1", state: .inFlight, plannedLaunch: Date(),
            origin: .urgent, priority: 10)
        let plain = String(decoding: try JSONEncoder().encode(SortieStateDoc(status)), as: UTF8.self)
        #expect(!plain.contains("choice"))
        status.choice = UrgentChoice(
            chosen: VerificationEstimate(
                drone: "drone-1", kind: .airborne, sortie: "patrol-1", toCommand: 0, toOverhead: 40, energyWh: 20,
                chargeAfterWh: 150),
            alternatives: [
                VerificationEstimate(
                    drone: "drone-2", kind: .docked, toCommand: 0, toOverhead: 96, energyWh: 23, chargeAfterWh: 230)
            ],
            excluded: ["drone-3 is in maintenance"], overheadAfter: 25)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(SortieStateDoc(status)), as: UTF8.self)
        #expect(
            json.contains(
                #""choice":{"alternatives":[{"drone":"drone-2","energy_wh":23,"kind":"docked","to_command_s":0,"to_overhead_s":96}],"chosen":{"drone":"drone-1","energy_wh":20,"kind":"airborne","sortie":"patrol-1","to_command_s":0,"to_overhead_s":40},"excluded":["drone-3 is in maintenance"],"overhead_after_s":25}"#
            ), "\(json)")
    }
}
