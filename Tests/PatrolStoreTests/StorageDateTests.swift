import Foundation
import Testing

@testable import PatrolStore

/// The hand-written date text must be exactly what GRDB writes for a `Date`.
struct StorageDateTests {
    @Test func matchesGRDB() {
        var state: UInt64 = 99
        var dates = [0, 1_764_036_000.123, 1_764_036_000.9999, 951_782_400, 4_102_444_799.999, -86_400.5].map {
            Date(timeIntervalSince1970: $0)
        }
        for _ in 0..<50_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let ms = Int64(state >> 24) % 4_102_444_800_000
            dates.append(Date(timeIntervalSince1970: Double(ms) / 1000))
        }
        var mismatches: [String] = []
        for date in dates {
            let grdb = StorageDate.grdbText(date) ?? "?"
            if StorageDate.text(date) != grdb { mismatches.append("\(date.timeIntervalSince1970): \(grdb)") }
        }
        let count = mismatches.count
        let first = mismatches.first ?? ""
        #expect(count == 0, "first mismatch: \(first)")
    }
}
