import ArgumentParser
import Foundation
import PatrolPlanner

extension Patrol.Bench {
    struct ScheduleBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule",
            abstract:
                "Schedule the seeded benchmark days, then compare with OR-Tools and PyVRP when they are installed.",
            discussion: """
                For each size and seed, generates the benchmark's day (SchedulingBenchmark.instance: three \
                drones a hive, three patrols a drone), schedules it in this process and prints drones, \
                occurrences, Patrol's cost (3600 × priority per occurrence not flown plus the seconds each \
                launch is late) and its solve time; writes each instance with Patrol's answer as \
                v<drones>-s<seed>.json in --out. Solve times are wall clock and this process's CPU time. \
                Then, unless --no-compare, runs scripts/bench-schedule.py on that directory, which solves the \
                same instances with OR-Tools and PyVRP (pip install ortools pyvrp) for --solver-seconds each, \
                scores every solver's routes with one cost function and prints the side-by-side table with \
                the ratios; a missing module is said and its columns left out. Run a release build \
                (swift build -c release --product patrol).
                """)

        @Option(help: "Where to write the instances (default: a new directory under the temporary directory).")
        var out: String?

        @Option(help: "Fleet sizes (drones), comma-separated.")
        var sizes = "5,20,50"

        @Option(
            help: ArgumentHelp(
                "Seeds per size: N for 1...N, A-B for A...B, or a comma-separated list.",
                discussion: "Held-out days: tune on --seeds 3 (1...3) and test on --seeds 4-9."))
        var seeds = "3"

        @Option(help: "Each solver's time budget per instance in the comparison, seconds.")
        var solverSeconds = 10

        @Flag(
            help: ArgumentHelp(
                "Give each solver --solver-seconds of CPU time instead of wall time (for a shared machine).",
                discussion:
                    "A solver then stops at its first solution past the budget, or at 8× the budget of wall time."))
        var solverCPU = false

        @Flag(help: "Only Patrol's rows: do not run the comparison script.")
        var noCompare = false

        @Option(help: "The comparison's solvers, comma-separated: ortools, pyvrp.")
        var solvers = "ortools,pyvrp"

        @Option(
            help: ArgumentHelp(
                "Keep each solver's answers in this directory and use them again for the same day and settings.",
                discussion: "A solver's answer does not depend on Patrol's code: tuning runs each solver once a day."))
        var solverCache: String?

        @Option(help: "The Python interpreter for the comparison.")
        var python = "python3"

        @Option(help: "The comparison script.")
        var script = "scripts/bench-schedule.py"

        var fleetSizes: [Int] {
            sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }

        /// The seeds `--seeds` names, in order: `N` is 1...N, `A-B` is A...B, `A,B,...` a list.
        static func seedList(_ text: String) -> [UInt64]? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let n = UInt64(trimmed) { return n >= 1 ? Array(1...n) : nil }
            let range = trimmed.split(separator: "-", omittingEmptySubsequences: false)
            if range.count == 2 {
                guard let a = UInt64(range[0].trimmingCharacters(in: .whitespaces)),
                    let b = UInt64(range[1].trimmingCharacters(in: .whitespaces)), a >= 1, a <= b
                else { return nil }
                return Array(a...b)
            }
            let list = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            let seeds = list.compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            guard list.count > 1, seeds.count == list.count, seeds.allSatisfy({ $0 >= 1 }) else { return nil }
            return seeds
        }

        func validate() throws {
            let parts = sizes.split(separator: ",")
            guard !parts.isEmpty, fleetSizes.count == parts.count, fleetSizes.allSatisfy({ $0 >= 1 && $0 <= 500 })
            else {
                throw ValidationError("--sizes: comma-separated fleet sizes from 1 to 500, e.g. 5,20,50")
            }
            guard let list = Self.seedList(seeds), list.count <= 1000 else {
                throw ValidationError(
                    "--seeds: N (for 1...N), A-B, or a comma-separated list of seeds from 1, e.g. 3 or 4-9")
            }
            let known = ["ortools", "pyvrp"]
            let names = solvers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, names.allSatisfy({ known.contains($0) }) else {
                throw ValidationError("--solvers: comma-separated, each ortools or pyvrp")
            }
            guard solverSeconds >= 1 else { throw ValidationError("--solver-seconds: at least 1") }
        }

        /// CPU time this process has used, seconds: on a machine shared with other work the wall clock
        /// says as much about the load as about the scheduler.
        static func cpuSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        }

        func run() async throws {
            let directory =
                out.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                    "patrol-bench-schedule-\(UUID().uuidString.prefix(8))")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw fail(CommandFailure("cannot create \(directory.path): \(error.localizedDescription)"))
            }
            #if DEBUG
                print("note: a debug build; solve times are several times a release build's")
            #endif
            let seedList = Self.seedList(seeds) ?? []
            let seedText = seedList.map(String.init).joined(separator: ",")
            print("schedule bench: drones \(sizes), seeds \(seedText), load \(AlertsBench.load())")
            print("| instance | drones | occurrences | sorties | unscheduled | Patrol cost | solve s | CPU s |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for size in fleetSizes {
                for seed in seedList {
                    let problem = SchedulingBenchmark.instance(drones: size, seed: seed)
                    var schedule = DaySchedule()
                    let cpuBefore = Self.cpuSeconds()
                    let elapsed = ContinuousClock().measure { schedule = Scheduler.schedule(problem) }
                    let cpu = Self.cpuSeconds() - cpuBefore
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    let document = SchedulingBenchmark.document(
                        problem, schedule: schedule, seconds: seconds, cpuSeconds: cpu)
                    let name = "v\(size)-s\(seed)"
                    let file = directory.appendingPathComponent("\(name).json")
                    do { try encoder.encode(document).write(to: file) } catch {
                        throw fail(CommandFailure("cannot write \(file.path): \(error.localizedDescription)"))
                    }
                    print(
                        "| \(name) | \(size) | \(document.nodes.count) | \(schedule.sorties.count) "
                            + "| \(schedule.unscheduled.count) | \(String(format: "%.0f", document.patrol.cost)) "
                            + "| \(String(format: "%.3f", seconds)) | \(String(format: "%.3f", cpu)) |")
                }
            }
            print("instances in \(directory.path)")
            guard !noCompare else { return }
            let scriptPath = ProjectFiles.locate(script).path
            guard FileManager.default.fileExists(atPath: scriptPath) else {
                throw fail(CommandFailure("no comparison script at \(scriptPath); give --script or --no-compare"))
            }
            print("")
            // The script writes to the same stdout: ours first, in order.
            fflush(nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                [python, scriptPath, directory.path, "--seconds", String(solverSeconds), "--solvers", solvers]
                + (solverCPU ? ["--cpu"] : []) + (solverCache.map { ["--cache", $0] } ?? [])
            do { try process.run() } catch {
                print("comparison not run: cannot start \(python) (\(error.localizedDescription)); Patrol's rows only")
                return
            }
            process.waitUntilExit()
            if process.terminationStatus == 127 {
                print("comparison not run: no \(python) on PATH; Patrol's rows only")
            } else if process.terminationStatus != 0 {
                throw fail(CommandFailure("\(scriptPath) exited with status \(process.terminationStatus)"))
            }
        }
    }
}
