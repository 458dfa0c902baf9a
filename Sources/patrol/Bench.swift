import ArgumentParser

extension Patrol {
    /// Benchmarks and stress runs, by hand on a release build; never part of the tests.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure and stress the device link: decoder fuzzing, ingest throughput.",
            subcommands: [FuzzBench.self, LinkBench.self])
    }
}
