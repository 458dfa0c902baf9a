import ArgumentParser

extension Patrol {
    /// Benchmarks, run by hand on a release build (`swift build -c release`); never part of the tests.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure Patrol's own speed (run a release build).",
            subcommands: [TransformBench.self, ReportBench.self])
    }
}
