import ArgumentParser
import Foundation
import PatrolModel
import PatrolPlanner

extension Patrol.Bench {
    struct ReplanBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replan",
            abstract: "Time the live re-plan the coordinator makes on an event, on the seeded benchmark days.",
            discussion: """
                For each size and seed, schedules the benchmark's day (SchedulingBenchmark.instance), then \
                re-plans it at --at as the coordinator does when an event comes (Scheduler.replan with the \
                sorties launched before then kept as flown): once with the first hive offline from then on \
                (its drones' sorties move), once with nothing changed; each from the day as planned \
                (`kept`, what the coordinator does: what still fits stays) and from scratch (`afresh`). \
                Prints the sorties moved, the unscheduled occurrences, the day's cost (3600 x priority per \
                occurrence not flown + seconds late) and each re-plan's wall and CPU time. The coordinator solves the \
                re-plan off its actor, on a thread of its own: for that long it goes on handling frames \
                with the queue as it was, then applies the result. Run a release build.
                """)

        @Option(help: "Fleet sizes (drones), comma-separated.")
        var sizes = "2,5,20,50"

        @Option(help: "Seeds per size (1...N).")
        var seeds = 1

        @Option(help: "When the event comes, HH:MM of the day.")
        var at = "12:00"

        @Flag(
            help:
                "Instead: a running coordinator re-plans each day (its first hive's door stuck) while a device pings it; prints the heartbeat round trips during the solve, off the actor and on it."
        )
        var live = false

        func run() async throws {
            let parts = at.split(separator: ":").compactMap { Double($0) }
            guard parts.count == 2 else { throw ValidationError("--at: HH:MM") }
            let now = parts[0] * 3600 + parts[1] * 60
            let sizes = self.sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if live {
                print(
                    "replan bench --live: drones \(self.sizes), seeds 1...\(seeds), at \(at), load \(AlertsBench.load())"
                )
                try await ReplanLiveBench.run(sizes: sizes, seeds: seeds, at: now)
                return
            }
            #if DEBUG
                print("note: a debug build; times are several times a release build's")
            #endif
            print("replan bench: drones \(self.sizes), seeds 1...\(seeds), at \(at), load \(AlertsBench.load())")
            print("| instance | drones | occurrences | event | from | moved | unscheduled | cost | re-plan s | CPU s |")
            print("| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
            for size in sizes {
                for seed in 1...UInt64(max(1, seeds)) {
                    var problem = SchedulingBenchmark.instance(drones: size, seed: seed)
                    let day = Scheduler.schedule(problem)
                    let flown = day.sorties.filter { $0.start < now }
                    let occurrences = day.sorties.count + day.unscheduled.count
                    let hive = problem.fleet.hives.first?.id ?? "hive-1"
                    for event in ["none", "\(hive) offline"] {
                        for start in ["kept", "afresh"] {
                            if event != "none" {
                                problem.outages = [Outage(subject: hive, from: now, reason: "offline")]
                            }
                            var plan = DaySchedule()
                            let cpuBefore = ScheduleBench.cpuSeconds()
                            let elapsed = ContinuousClock().measure {
                                plan = Scheduler.replan(
                                    problem, flown: flown, unscheduled: day.unscheduled, at: now,
                                    keeping: start == "kept" ? [day.sorties] : [])
                            }
                            let cpu = ScheduleBench.cpuSeconds() - cpuBefore
                            let seconds =
                                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                            let before = Dictionary(
                                day.sorties.map { ("\($0.patrol)@\($0.due)", $0) }, uniquingKeysWith: { a, _ in a })
                            let moved = plan.sorties.filter { s in
                                guard s.start >= now, let old = before["\(s.patrol)@\(s.due)"] else { return false }
                                return old.drone != s.drone || old.start != s.start
                            }.count
                            print(
                                "| v\(size)-s\(seed) | \(size) | \(occurrences) | \(event) | \(start) | \(moved) "
                                    + "| \(plan.unscheduled.count) | \(Int(SchedulingBenchmark.cost(plan))) "
                                    + "| \(String(format: "%.3f", seconds)) "
                                    + "| \(String(format: "%.3f", cpu)) |")
                        }
                    }
                }
            }
        }
    }
}
