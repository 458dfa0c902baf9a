#!/usr/bin/env python3
"""Solve Patrol's scheduling benchmark days again with OR-Tools and PyVRP and compare the costs.

The instances and Patrol's answers come from `patrol bench schedule --out DIR`, which runs this
script on DIR unless told not to; by hand:

    python3 scripts/bench-schedule.py DIR [--seconds 10] [--solvers ortools,pyvrp] [--cache CACHE]

With --cache, each solver's answer for a day is kept in CACHE/<instance>.<solver>.json and used
again by later runs when the day (its nodes, vehicles, turnaround) and the budget are the same: a
solver's answer does not change with Patrol's code, so tuning Patrol needs each solver run once.

Each instance is a routing problem with time windows and optional visits: vehicles are drones,
depots their hives, visits the patrol occurrences, each to start from its due time to due +
window, with a service time per eligible drone (the sortie's duration from that drone's hive:
payload and battery decide which drones are eligible) and a turnaround after it.

Every solver's answer is reduced to routes (each drone's occurrences in order) and scored by one
function, `evaluate`: the routes are re-timed with each launch as early as the drone and the due
time allow, checked (eligible drone, start within the window, nothing flown twice), and cost
3600 x priority per occurrence not flown plus the seconds each launch is late. Patrol's own cost
uses the same rule on its own launch times; the table prints the evaluated figure for all three.

A missing Python module is said, and that solver's columns are left out (pip install ortools pyvrp).
"""
import argparse
import glob
import json
import math
import os
import sys
import time

EPS = 1e-6


def evaluate(instance, routes):
    """Our cost of `routes` ({vehicle: [node index, ...]}) and the rule violations found."""
    nodes = instance["nodes"]
    turnaround = float(instance["turnaround"])
    problems = []
    flown = set()
    lateness = 0.0
    for vehicle, route in routes.items():
        free = 0.0
        for n in route:
            node = nodes[n]
            name = "%s@%g on %s" % (node["patrol"], node["due"], vehicle)
            if n in flown:
                problems.append(name + ": flown twice")
                continue
            service = node["service"].get(vehicle)
            if service is None:
                problems.append(name + ": not eligible")
                continue
            start = max(float(node["due"]), free)
            if start > node["due"] + node["window"] + EPS:
                problems.append(name + ": starts %.0f s after its window" % (start - node["due"] - node["window"]))
                continue
            flown.add(n)
            lateness += start - node["due"]
            free = start + service + turnaround
    dropped = sum(int(node["priority"]) * 3600 for n, node in enumerate(nodes) if n not in flown)
    return dropped + lateness, problems


# With --cpu, a solver stops after its budget of CPU time, or after this many budgets of wall time.
CPU_WALL_CAP = 8

# ---------------------------------------------------------------------------------------------
# OR-Tools

ORTOOLS_FIRST = "LOCAL_CHEAPEST_COST_INSERTION"
ORTOOLS_METAHEURISTIC = "GUIDED_LOCAL_SEARCH"


def solve_ortools(instance, seconds, first=ORTOOLS_FIRST, metaheuristic=ORTOOLS_METAHEURISTIC, arc_weight=1,
                  cpu=False):
    """Routes from OR-Tools' routing solver, its wall time and its CPU time.

    One vehicle per drone, one optional node per occurrence (disjunction penalty 3600 x priority),
    a time dimension whose transit out of a node is that drone's sortie duration + turnaround (one
    C++ transit vector per class of drones with the same hive and payload: no Python callbacks in
    the search), a start window [due, due + window] with a soft upper bound at the due time (1 per
    second late), allowed vehicles by payload and battery. The arc cost is the sortie's duration
    on that drone, with the drop and lateness penalties scaled by `arc_weight` x 100 above it so
    it only breaks ties: it gives guided local search features to penalise (with no arc cost its
    penalties have nothing to act on) and prefers the drone whose hive is nearest.

    The first solution decides most of the result within the budget: LOCAL_CHEAPEST_COST_INSERTION
    inserts each visit where the whole cost (the lateness included) rises least, where
    PARALLEL_CHEAPEST_INSERTION and the other arc-based strategies look at arc costs only and
    leave every drone late all day (docs/benchmarks.md, section Scheduling, has the trial).
    """
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    vehicles = instance["vehicles"]
    nodes = instance["nodes"]
    turnaround = int(instance["turnaround"])
    manager = pywrapcp.RoutingIndexManager(len(nodes) + 1, len(vehicles), 0)
    routing = pywrapcp.RoutingModel(manager)
    impossible = 10**7
    scale = 100 * arc_weight if arc_weight else 1

    classes = {}
    transit_of_vehicle = []
    cost_of_vehicle = []
    for v in vehicles:
        services = tuple(node["service"].get(v) for node in nodes)
        if services not in classes:
            transit = [0] + [impossible if s is None else int(math.ceil(s)) + turnaround for s in services]
            cost = [0] + [0 if s is None else int(math.ceil(s)) for s in services]
            classes[services] = (routing.RegisterUnaryTransitVector(transit),
                                 routing.RegisterUnaryTransitVector(cost))
        transit_of_vehicle.append(classes[services][0])
        cost_of_vehicle.append(classes[services][1])
    routing.AddDimensionWithVehicleTransits(transit_of_vehicle, 86400, 3 * 86400, False, "Time")
    time_dimension = routing.GetDimensionOrDie("Time")
    if arc_weight:
        for k, callback in enumerate(cost_of_vehicle):
            routing.SetArcCostEvaluatorOfVehicle(callback, k)
    position = {v: k for k, v in enumerate(vehicles)}
    for n, node in enumerate(nodes, start=1):
        index = manager.NodeToIndex(n)
        due = int(node["due"])
        time_dimension.CumulVar(index).SetRange(due, due + int(node["window"]))
        time_dimension.SetCumulVarSoftUpperBound(index, due, scale)
        routing.VehicleVar(index).SetValues([-1] + sorted(position[v] for v in node["service"]))
        routing.AddDisjunction([index], int(node["priority"]) * 3600 * scale)
    for k in range(len(vehicles)):
        routing.AddVariableMinimizedByFinalizer(time_dimension.CumulVar(routing.Start(k)))

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, first)
    parameters.local_search_metaheuristic = getattr(routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic)
    parameters.time_limit.seconds = seconds * CPU_WALL_CAP if cpu else seconds
    started, cpu_started = time.monotonic(), time.process_time()
    if cpu:
        # Stop at the first solution found after `seconds` of CPU time (OR-Tools' own limits are wall
        # clock): on a shared machine the wall clock gives a solver a fraction of its budget.
        def check():
            if time.process_time() - cpu_started >= seconds:
                routing.solver().FinishCurrentSearch()
        routing.AddAtSolutionCallback(check)
    solution = routing.SolveWithParameters(parameters)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
    if solution is None:
        return None, elapsed, cpu
    routes = {}
    for k, v in enumerate(vehicles):
        index = routing.Start(k)
        route = []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node != 0:
                route.append(node - 1)
            index = solution.Value(routing.NextVar(index))
        routes[v] = route
    return routes, elapsed, cpu


# ---------------------------------------------------------------------------------------------
# PyVRP

# Lateness buckets, seconds: PyVRP's time windows are hard and it has no cost per second late, so
# each occurrence becomes one optional client per bucket [lo, hi) of lateness (clipped to the
# window), in a mutually exclusive group, with prize 3600 x priority - lo. Finer buckets (0, 60, 300,
# 900) did better at 5 drones and much worse at 20 (docs/benchmarks.md, section Scheduling).
PYVRP_BUCKETS = (0, 300)


def solve_pyvrp(instance, seconds, buckets=PYVRP_BUCKETS, seed=1, cpu=False):
    """Routes from PyVRP (iterated local search), its wall time and its CPU time.

    Depots are the hives; each class of drones (same hive, same eligible occurrences) is a vehicle
    type starting and ending at its hive with a routing profile of its own, whose duration out of an
    occurrence is that class's sortie duration + turnaround; load dimensions keep drones off the
    occurrences they may not fly (payload, battery). Distances are zero and cost nothing: the
    objective is the prizes left uncollected (minus the lateness buckets' discounts). Occurrences of one patrol share a location only when they are so far
    apart in time that the drone is back before the later one is due (PyVRP wants zero on the
    matrix diagonal), so the timing is exact.
    """
    import numpy as np
    import pyvrp
    from pyvrp.stop import MaxRuntime

    vehicles = instance["vehicles"]
    nodes = instance["nodes"]
    turnaround = int(instance["turnaround"])

    hives = []
    for v in vehicles:
        if instance["hives"][v] not in hives:
            hives.append(instance["hives"][v])
    classes = {}
    for v in vehicles:
        key = (instance["hives"][v], tuple(node["service"].get(v) for node in nodes))
        classes.setdefault(key, []).append(v)
    class_list = list(classes.items())

    # Which drones may fly what, as load dimensions (PyVRP has no allowed vehicles per client, and
    # unreachably long arcs stall its search): a dimension per payload some drone lacks, where the
    # occurrences needing it weigh 1 and drones without it hold 0; and a dimension per hive some
    # occurrence is out of battery range of, where those occurrences weigh 1 and that hive's drones
    # hold 0. Every other capacity is the number of occurrences.
    payloads = instance.get("payloads")
    dimensions = []  # (kind, value)
    if payloads is not None:
        for kind in sorted({p for node in nodes for p in node["payload"]}):
            if any(kind not in payloads[v] for v in vehicles):
                dimensions.append(("payload", kind))
        for hive in hives:
            if any(set(node["payload"]) <= set(payloads[v]) and v not in node["service"]
                   for node in nodes for v in vehicles if instance["hives"][v] == hive):
                dimensions.append(("hive", hive))
    else:
        # An older document: each class's own set of occurrences it may not fly.
        for k, ((hive, services), _) in enumerate(class_list):
            if any(s is None for s in services):
                dimensions.append(("class", k))
    plenty = len(nodes) + 1

    def demand(n):
        node = nodes[n]
        load = []
        for kind, value in dimensions:
            if kind == "payload":
                load.append(1 if value in node["payload"] else 0)
            elif kind == "hive":
                load.append(1 if any(instance["hives"][v] == value and v not in node["service"]
                                     and set(node["payload"]) <= set(payloads[v]) for v in vehicles) else 0)
            else:
                load.append(1 if class_list[value][0][1][n] is None else 0)
        return load

    def capacity(k, members):
        v = members[0]
        load = []
        for kind, value in dimensions:
            if kind == "payload":
                load.append(plenty if value in payloads[v] else 0)
            elif kind == "hive":
                load.append(0 if instance["hives"][v] == value else plenty)
            else:
                load.append(0 if value == k else plenty)
        return load

    # Locations: the hives, then the patrols' slots.
    by_patrol = {}
    for n, node in enumerate(nodes):
        by_patrol.setdefault(node["patrol"], []).append(n)
    location_of_node = {}
    slot_patrol = []
    for patrol, members in by_patrol.items():
        members.sort(key=lambda n: nodes[n]["due"])
        longest = max([math.ceil(s) for n in members for s in nodes[n]["service"].values()] or [0])

        def apart(a, b):
            return nodes[b]["due"] >= nodes[a]["due"] + nodes[a]["window"] + longest + turnaround

        slots = 1
        while slots < len(members) and not all(apart(members[k], members[k + slots])
                                               for k in range(len(members) - slots)):
            slots += 1
        base = len(hives) + len(slot_patrol)
        slot_patrol.extend([members[0]] * min(slots, len(members)))
        for k, n in enumerate(members):
            location_of_node[n] = base + k % slots
    size = len(hives) + len(slot_patrol)
    locations = [pyvrp.Location(0, 0, name=h) for h in hives]
    locations += [pyvrp.Location(0, 0, name=nodes[n]["patrol"]) for n in slot_patrol]

    distances = np.zeros((size, size), dtype=np.int64)
    durations = []
    vehicle_types = []
    for k, ((hive, services), members) in enumerate(class_list):
        out = np.zeros(size, dtype=np.int64)
        for slot, first in enumerate(slot_patrol):
            # Where this class may not fly (the loads forbid it), the shortest sortie of anyone.
            service = services[first]
            if service is None:
                service = min(nodes[first]["service"].values(), default=0)
            out[len(hives) + slot] = int(math.ceil(service)) + turnaround
        matrix = np.repeat(out[:, None], size, axis=1)
        np.fill_diagonal(matrix, 0)
        durations.append(matrix)
        depot = hives.index(hive)
        vehicle_types.append(pyvrp.VehicleType(
            num_available=len(members), capacity=capacity(k, members), start_depot=depot, end_depot=depot,
            unit_distance_cost=0, profile=k, name="+".join(members)))
    depots = [pyvrp.Depot(location=d, name=h) for d, h in enumerate(hives)]

    clients = []
    groups = []
    node_of_client = []
    for n, node in enumerate(nodes):
        due = int(node["due"])
        window = int(node["window"])
        prize = int(node["priority"]) * 3600
        load = demand(n)
        pieces = [(lo, min(hi, window)) for lo, hi in zip(buckets, list(buckets[1:]) + [window]) if lo <= window]
        pieces = [(lo, hi) for lo, hi in pieces if hi >= lo]
        group = None
        if len(pieces) > 1:
            group = len(groups)
            groups.append(pyvrp.ClientGroup(list(range(len(clients), len(clients) + len(pieces))), required=False))
        for lo, hi in pieces:
            clients.append(pyvrp.Client(
                location=location_of_node[n], delivery=load, tw_early=due + lo, tw_late=due + hi, prize=prize - lo,
                required=False, group=group))
            node_of_client.append(n)
    data = pyvrp.ProblemData(locations, clients, depots, vehicle_types, [distances] * len(durations), durations,
                             groups=groups)
    started, cpu_started = time.monotonic(), time.process_time()

    def cpu_spent(_best_cost):
        return (time.process_time() - cpu_started >= seconds
                or time.monotonic() - started >= seconds * CPU_WALL_CAP)

    result = pyvrp.solve(data, stop=cpu_spent if cpu else MaxRuntime(seconds), seed=seed, display=False)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
    routes = {v: [] for v in vehicles}
    unused = {k: list(members) for k, (_, members) in enumerate(class_list)}
    for route in result.best.routes():
        vehicle = unused[route.vehicle_type()].pop(0)
        routes[vehicle] = [node_of_client[c] for c in route.visits()] if hasattr(route, "visits") else [
            node_of_client[a.idx] for a in route.schedule() if a.is_client()]
    return routes, elapsed, cpu


# ---------------------------------------------------------------------------------------------


def fingerprint(instance):
    """What a solver's answer depends on: the day itself, not Patrol's answer to it."""
    import hashlib
    day = {key: instance[key] for key in ("nodes", "vehicles", "turnaround", "hives", "payloads") if key in instance}
    return hashlib.sha256(json.dumps(day, sort_keys=True).encode()).hexdigest()


def cached_solve(cache, name, solver, instance, key, solve):
    """`solve()` (routes, wall s, CPU s), or the answer kept in `cache` for the same day and `key`
    (the solver's settings); the last value says whether it came from the cache."""
    if cache is None:
        return solve() + (False,)
    path = os.path.join(cache, "%s.%s.json" % (name, solver))
    wanted = {"day": fingerprint(instance), "settings": key}
    try:
        with open(path) as f:
            kept = json.load(f)
        if kept.get("day") == wanted["day"] and kept.get("settings") == key:
            return kept["routes"], kept["seconds"], kept["cpuSeconds"], True
    except (OSError, ValueError, KeyError):
        pass
    routes, elapsed, cpu = solve()
    os.makedirs(cache, exist_ok=True)
    with open(path, "w") as f:
        json.dump(dict(wanted, routes=routes, seconds=elapsed, cpuSeconds=cpu), f, sort_keys=True)
    return routes, elapsed, cpu, False


def available(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def ratio(patrol, other):
    if other is None:
        return "-"
    if other < 0.5:
        return "1.000" if patrol < 0.5 else "inf"
    return "%.3f" % (patrol / other)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--seconds", type=int, default=10, help="each solver's budget per instance")
    parser.add_argument("--solvers", default="ortools,pyvrp", help="comma-separated: ortools, pyvrp")
    parser.add_argument("--cpu", action="store_true",
                        help="the budget is CPU time (at most %d times as much wall time), for a shared machine"
                        % CPU_WALL_CAP)
    parser.add_argument("--ortools-first", default=ORTOOLS_FIRST, help="OR-Tools first solution strategy")
    parser.add_argument("--ortools-metaheuristic", default=ORTOOLS_METAHEURISTIC,
                        help="OR-Tools local search metaheuristic")
    parser.add_argument("--ortools-arc-weight", type=int, default=1,
                        help="0: no arc cost (the objective is ours only); 1: sortie duration as a tie-breaker")
    parser.add_argument("--cache", help="keep each solver's answers here and use them again for the same day "
                        "and settings (a solver's answer does not depend on Patrol's)")
    parser.add_argument("--pyvrp-buckets", default=",".join(str(b) for b in PYVRP_BUCKETS),
                        help="lateness buckets' lower ends, seconds ('0': hard windows only)")
    args = parser.parse_args()

    wanted = [s.strip() for s in args.solvers.split(",") if s.strip()]
    solvers = []
    for name, module in (("ortools", "ortools"), ("pyvrp", "pyvrp")):
        if name not in wanted:
            continue
        if available(module):
            solvers.append(name)
        else:
            print("%s: the Python module `%s` is missing (pip install %s); its columns are left out"
                  % (name, module, module))
    buckets = tuple(int(b) for b in args.pyvrp_buckets.split(","))
    budget = " of CPU time" if args.cpu else " (wall clock)"
    if "ortools" in solvers:
        from ortools import __version__ as ortools_version
        print("OR-Tools %s: %s, then %s, %d s%s, arc cost %s" % (
            ortools_version, args.ortools_first, args.ortools_metaheuristic, args.seconds, budget,
            "sortie duration (tie-breaker)" if args.ortools_arc_weight else "none"))
    if "pyvrp" in solvers:
        from importlib.metadata import version
        print("PyVRP %s: iterated local search, %d s%s, lateness buckets %s s" % (
            version("pyvrp"), args.seconds, budget, ",".join(str(b) for b in buckets)))

    # Times are wall clock (CPU time in brackets): on a shared machine a solver may get much less
    # than its budget of CPU time, and Patrol's solve may take much longer than its CPU time.
    header = "| instance | drones | occurrences | Patrol cost | Patrol s (CPU) |"
    rule = "| --- | ---: | ---: | ---: | ---: |"
    if "ortools" in solvers:
        header += " OR-Tools cost | OR-Tools s (CPU) | Patrol / OR-Tools |"
        rule += " ---: | ---: | ---: |"
    if "pyvrp" in solvers:
        header += " PyVRP cost | PyVRP s (CPU) | Patrol / PyVRP |"
        rule += " ---: | ---: | ---: |"
    print(header)
    print(rule)
    sys.stdout.flush()
    # Cached answers (<instance>.<solver>.json) are not instances.
    paths = sorted((p for p in glob.glob(os.path.join(args.directory, "*.json"))
                    if "." not in os.path.basename(p)[:-len(".json")]), key=lambda p: (len(p), p))
    if not paths:
        print("no instances (*.json) in %s" % args.directory)
        return 1
    notes = []
    for path in paths:
        with open(path) as f:
            instance = json.load(f)
        name = os.path.splitext(os.path.basename(path))[0]
        patrol = instance["patrol"]
        patrol_cost, problems = evaluate(instance, {v: r for v, r in patrol["routes"].items()})
        if problems:
            notes.append("%s Patrol: %d violations, e.g. %s" % (name, len(problems), problems[0]))
        cpu = patrol.get("cpuSeconds")
        row = "| %s | %d | %d | %.0f | %.2f%s |" % (
            name, len(instance["vehicles"]), len(instance["nodes"]), patrol_cost, patrol["seconds"],
            "" if cpu is None else " (%.2f)" % cpu)
        for solver in solvers:
            if solver == "ortools":
                key = [args.seconds, args.cpu, args.ortools_first, args.ortools_metaheuristic, args.ortools_arc_weight]
                routes, elapsed, cpu, reused = cached_solve(
                    args.cache, name, solver, instance, key,
                    lambda: solve_ortools(instance, args.seconds, args.ortools_first, args.ortools_metaheuristic,
                                          args.ortools_arc_weight, args.cpu))
            else:
                key = [args.seconds, args.cpu, list(buckets)]
                routes, elapsed, cpu, reused = cached_solve(
                    args.cache, name, solver, instance, key,
                    lambda: solve_pyvrp(instance, args.seconds, buckets, cpu=args.cpu))
            if reused:
                notes.append("%s %s: its answer of an earlier run (--cache)" % (name, solver))
            if routes is None:
                row += " no solution | %.1f (%.1f) | - |" % (elapsed, cpu)
                continue
            cost, problems = evaluate(instance, routes)
            if problems:
                notes.append("%s %s: %d violations, e.g. %s" % (name, solver, len(problems), problems[0]))
            if not args.cpu and elapsed > args.seconds * 1.5 + 2:
                notes.append("%s %s: took %.1f s" % (name, solver, elapsed))
            row += " %.0f | %.1f (%.1f) | %s |" % (cost, elapsed, cpu, ratio(patrol_cost, cost))
        print(row)
        sys.stdout.flush()
    for note in notes:
        print("note: " + note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
