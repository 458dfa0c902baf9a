import Foundation
import PatrolCoordinator
import PatrolModel
import PatrolTestKit
import Testing

/// The `urgent:` block of `patrol serve`'s configuration: whether urgent sorties divert drones in the air.
struct ServeDiversionConfigurationTests {
    @Test func theUrgentBlockSetsTheDiversionPolicy() throws {
        let example = ServeConfigurationTests()
        let documented = try ServeConfiguration.load(from: try example.example())
        #expect(documented.diversion == DiversionPolicy(enabled: true, look: 120))
        let off = try ServeConfiguration.load(
            from: try example.example {
                $0.replacingOccurrences(
                    of: "urgent: { divert: true, look_s: 120 }", with: "urgent: { divert: false, look_s: 300 }")
            })
        #expect(off.diversion.enabled == false && off.diversion.look == 300)
        let bad = try example.example {
            $0.replacingOccurrences(of: "urgent: { divert: true, look_s: 120 }", with: "urgent: { divert: maybe }")
        }
        #expect(throws: LoadError.self) { try ServeConfiguration.load(from: bad) }
        do {
            _ = try ServeConfiguration.load(from: bad)
        } catch {
            #expect("\(error)".contains("urgent.divert"), "\(error)")
        }
    }
}
