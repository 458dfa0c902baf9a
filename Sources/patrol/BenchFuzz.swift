import ArgumentParser
import Foundation
import PatrolLink

extension Patrol.Bench {
    struct FuzzBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fuzz",
            abstract: "Run seeded random and mutated frames through the wire decoder.",
            discussion: """
                Every frame must decode or be refused with a LinkError; a crash fails the run. Decoded frames \
                are encoded and decoded again and must come back equal. Prints counts by outcome.
                """)

        @Option(help: "How many frames.")
        var frames = 1_000_000

        @Option(help: "The seed; the same seed gives the same frames.")
        var seed: UInt64 = 5

        func run() async throws {
            var mutator = FrameMutator(seed: seed)
            var decoded = 0
            var unstable = 0
            var refused: [String: Int] = [:]
            var bytes = 0
            let began = ContinuousClock.now
            for _ in 0..<frames {
                let frame = mutator.frame()
                bytes += frame.count
                do {
                    let envelope = try WireCodec.decode(frame)
                    decoded += 1
                    // What decodes must survive its own round trip.
                    if (try? WireCodec.decode(WireCodec.encode(envelope))) != envelope { unstable += 1 }
                } catch {
                    refused[error.code.description, default: 0] += 1
                }
            }
            let seconds = (ContinuousClock.now - began).seconds
            print("fuzz     \(frames) frames (seed \(seed)), \(bytes) bytes, in \(String(format: "%.1f", seconds)) s")
            print("decoded  \(decoded)  (round trip unstable: \(unstable))")
            for (code, count) in refused.sorted(by: { $0.key < $1.key }) {
                print("refused  \(code.padded(20)) \(count)")
            }
            print("crashes  0")
            if unstable > 0 { throw ExitCode.failure }
        }
    }
}
