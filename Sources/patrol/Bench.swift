import ArgumentParser

extension Patrol {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure and stress the device link: decoder fuzzing, ingest throughput.",
            subcommands: [Fuzz.self, Link.self])
    }
}
