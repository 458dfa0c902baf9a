import ArgumentParser

extension Patrol {
    /// Benchmarks and stress runs, by hand on a release build (`swift build -c release`); never part of the tests.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure Patrol's own speed and stress its decoder (run a release build).",
            subcommands: [
                TransformBench.self, PlanBench.self, ReportBench.self, LinkBench.self, FuzzBench.self, AlertsBench.self,
                ScheduleBench.self, ReplanBench.self,
            ])
    }
}
