#!/usr/bin/env python3
"""Coverage benchmark: Patrol's planner against an independent shapely boustrophedon.

Usage: python3 benchmarks/coverage/compare.py [--patrol .build/release/patrol] [--runs 21]

Runs both planners on the hill (minus the substation no-fly zone) and on synthetic polygons placed
over the hill, with the hill mission's camera (50 m, 70 deg, side overlap 0.3: a 49 m spacing),
and prints per polygon: lines, coverage path length (first sweep line start to last sweep line
end) and turns for each, the ratios Patrol / reference (target <= 1.0), and Patrol's planning time.
Coordinates go through `patrol transform` (PROJ), so both planners work in the same EPSG:4547 metres.
Needs shapely (pip install shapely).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

from shapely import affinity
from shapely.geometry import Polygon

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SITE = os.path.join(REPO, "geo", "mumianling")
SPACING = 2 * 50 * math.tan(math.radians(35)) * (1 - 0.3)


def transform(patrol, points, src, dst):
    text = "".join("%.9f %.9f\n" % p for p in points)
    out = subprocess.run([patrol, "transform", "--from", src, "--to", dst], input=text, capture_output=True,
                         text=True, check=True, cwd=REPO).stdout
    return [tuple(float(v) for v in line.split()[:2]) for line in out.strip().splitlines()]


def layer_ring(name, fid):
    with open(os.path.join(SITE, name)) as f:
        for feature in json.load(f)["features"]:
            if feature["properties"]["id"] == fid:
                return [tuple(p) for p in feature["geometry"]["coordinates"][0]]
    raise KeyError(fid)


def synthetic(hill):
    """Test polygons in metres, centred on the hill's centroid."""
    c = hill.centroid
    shapes = {
        "rectangle 500x300 rotated 30": affinity.rotate(Polygon([(-250, -150), (250, -150), (250, 150), (-250, 150)]), 30),
        "L-shape": Polygon([(-250, -200), (250, -200), (250, -50), (-100, -50), (-100, 200), (-250, 200)]),
        "U-shape (deep notch)": Polygon([(-250, -200), (250, -200), (250, 200), (120, 200), (120, -60), (-120, -60),
                                         (-120, 200), (-250, 200)]),
        "irregular hexagon": Polygon([(-260, -80), (-60, -230), (210, -170), (270, 60), (80, 230), (-200, 150)]),
        "thin diagonal strip": affinity.rotate(Polygon([(-330, -45), (330, -45), (330, 45), (-330, 45)]), -20),
    }
    return {k: affinity.translate(v, c.x, c.y) for k, v in shapes.items()}


def patrol_figures(patrol, mission, runs):
    out = subprocess.run([patrol, "bench", "plan", mission, "--runs", str(runs)], capture_output=True, text=True,
                         cwd=REPO)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return dict(pair.split("=", 1) for pair in out.stdout.split())


def write_mission(directory, name, ring_lonlat):
    ring = "\n".join("  - [%.8f, %.8f]" % p for p in ring_lonlat)
    path = os.path.join(directory, name + ".yaml")
    with open(path, "w") as f:
        f.write("id: %s\nsite: %s\nkind: area_coverage\narea:\n%s\nhive: hive-1\naltitude_m: 50\n"
                "transit_altitude_m: 60\ncamera: {horizontal_fov_deg: 70, vertical_fov_deg: 55, side_overlap: 0.3}\n"
                % (name, os.path.join(SITE, "site.yaml"), ring))
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--patrol", default=os.path.join(REPO, ".build", "release", "patrol"))
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    hill = Polygon(transform(args.patrol, layer_ring("areas.geojson", "hill"), "EPSG:4326", "EPSG:4547"))
    zones = [Polygon(transform(args.patrol, layer_ring("no-fly.geojson", z), "EPSG:4326", "EPSG:4547"))
             for z in ("nfz-kindergarten", "nfz-substation")]
    cases = [("hill", hill, os.path.join(REPO, "missions", "hill-fire-patrol.yaml"))]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, poly) in enumerate(synthetic(hill).items()):
            ring = transform(args.patrol, list(poly.exterior.coords), "EPSG:4547", "EPSG:4326")
            cases.append((name, poly, write_mission(tmp, "synthetic-%d" % (i + 1), ring)))

        print("spacing %.1f m (reference, fixed); Patrol spreads its lines evenly at <= that spacing" % SPACING)
        header = "%-28s %6s | %5s %7s %5s %8s | %5s %7s %5s %6s %6s | %5s %7s %5s %6s %6s"
        print(header % ("polygon", "km2", "Patrol", "path m", "turns", "ms", "ref-L", "path m", "turns", "len", "turns",
                        "ref-S", "path m", "turns", "len", "turns"))
        print(header % ("", "", "lines", "", "", "median", "lines", "", "", "ratio", "ratio", "lines", "", "", "ratio",
                        "ratio"))
        ratios = {"L": ([], []), "S": ([], [])}
        for name, poly, mission in cases:
            target = reference.flyable(poly, [z for z in zones if z.intersects(poly.buffer(20))])
            p = patrol_figures(args.patrol, mission, args.runs)
            row = [name, "%.3f" % (poly.area / 1e6), p["lines"], "%.0f" % float(p["path_m"]), p["turns"], p["median_ms"]]
            for key, objective in (("L", "lines"), ("S", "length")):
                ref_len, ref_turns, ref_lines, _ = reference.plan(target, SPACING, objective=objective)
                lr = float(p["path_m"]) / ref_len
                tr = int(p["turns"]) / max(ref_turns, 1)
                ratios[key][0].append(lr)
                ratios[key][1].append(tr)
                row += [str(ref_lines), "%.0f" % ref_len, str(ref_turns), "%.3f" % lr, "%.3f" % tr]
            print(header % tuple(row))
        gm = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))  # noqa: E731
        for key, label in (("L", "fewest lines, then shortest (Patrol's objective)"), ("S", "shortest path")):
            print("geometric mean Patrol/reference, %s: length %.3f, turns %.3f" % (
                label, gm(ratios[key][0]), gm(ratios[key][1])))


if __name__ == "__main__":
    main()
