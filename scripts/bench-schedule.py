#!/usr/bin/env python3
"""Solve Patrol's scheduling benchmark instances again with OR-Tools and compare the costs.

The instances come from `Tests/PatrolPlannerTests/SchedulerBenchmarkExport.swift`:

    PATROL_BENCH_OUT=/tmp/bench-sched swift test --filter SchedulerBenchmarkExport
    python3 scripts/bench-schedule.py /tmp/bench-sched [--seconds 10]

Each instance is a routing problem with time windows: vehicles are drones, nodes are patrol
occurrences with a start window [due, due + window], a service time per eligible drone (the
sortie's duration from that drone's hive) and a turnaround after it. Dropping an occurrence costs
priority x 3600; starting late costs one per second. Patrol's cost is computed the same way.
"""
import argparse
import glob
import json
import math
import os
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2


def solve(instance, seconds):
    vehicles = instance["vehicles"]
    nodes = instance["nodes"]
    turnaround = int(instance["turnaround"])
    manager = pywrapcp.RoutingIndexManager(len(nodes) + 1, len(vehicles), 0)
    routing = pywrapcp.RoutingModel(manager)
    big = 10**6

    def transit_for(vehicle):
        def transit(from_index, _to_index):
            node = manager.IndexToNode(from_index)
            if node == 0:
                return 0
            service = nodes[node - 1]["service"].get(vehicle)
            return big if service is None else int(math.ceil(service)) + turnaround
        return routing.RegisterTransitCallback(transit)

    callbacks = [transit_for(v) for v in vehicles]
    routing.AddDimensionWithVehicleTransits(callbacks, 86400, 3 * 86400, False, "Time")
    time_dimension = routing.GetDimensionOrDie("Time")
    for n, node in enumerate(nodes, start=1):
        index = manager.NodeToIndex(n)
        due = int(node["due"])
        time_dimension.CumulVar(index).SetRange(due, due + int(node["window"]))
        time_dimension.SetCumulVarSoftUpperBound(index, due, 1)
        allowed = [vehicles.index(v) for v in sorted(node["service"])]
        routing.VehicleVar(index).SetValues([-1] + allowed)
        routing.AddDisjunction([index], int(node["priority"]) * 3600)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.seconds = seconds
    started = time.monotonic()
    solution = routing.SolveWithParameters(parameters)
    elapsed = time.monotonic() - started
    if solution is None:
        return None, elapsed
    cost = 0
    for n, node in enumerate(nodes, start=1):
        index = manager.NodeToIndex(n)
        if solution.Value(routing.NextVar(index)) == index:
            cost += int(node["priority"]) * 3600
        else:
            cost += solution.Value(time_dimension.CumulVar(index)) - int(node["due"])
    return cost, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    print("| instance | vehicles | occurrences | Patrol cost | Patrol s | OR-Tools cost | OR-Tools s | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in sorted(glob.glob(os.path.join(args.directory, "*.json")),
                       key=lambda p: (len(p), p)):
        with open(path) as f:
            instance = json.load(f)
        patrol = instance["patrol"]
        cost, elapsed = solve(instance, args.seconds)
        if cost is None:
            ratio = "no solution"
        elif cost == 0:
            ratio = "1.000" if patrol["cost"] < 0.5 else "inf"
        else:
            ratio = "%.3f" % (patrol["cost"] / cost)
        print("| %s | %d | %d | %.0f | %.3f | %s | %.1f | %s |" % (
            os.path.basename(path), len(instance["vehicles"]), len(instance["nodes"]), patrol["cost"],
            patrol["seconds"], "-" if cost is None else str(cost), elapsed, ratio))


if __name__ == "__main__":
    main()
