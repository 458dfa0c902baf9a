#!/usr/bin/env python3
"""Generate the illustrative Mumianling site layers (GeoJSON) from a few parameters.

The Mumianling site in this folder is ILLUSTRATIVE, not surveyed: it is loosely modelled on the
Luohu (Shenzhen) Mumianling smart-community pilot (19 super-high-rise towers on about 0.25 km^2,
a wooded hill beside the estate). See ../README.md.

How it works
------------
Every shape is written down below in *local metres*: x = metres east and y = metres north of the
site origin (ORIGIN_LON, ORIGIN_LAT, the south-west corner of the estate). Local metres are turned
into WGS 84 longitude/latitude with a local tangent-plane approximation, which is good to well under
a metre over a 1 km site:

    lat = ORIGIN_LAT + y / 110_770                       (metres per degree of latitude near 22.57 N)
    lon = ORIGIN_LON + x / (111_320 * cos(ORIGIN_LAT))   (metres per degree of longitude)

Coordinates are rounded to 7 decimals (about 1 cm). Rings follow RFC 7946: closed (first position
repeated at the end) and exterior rings counter-clockwise. Both scale factors are positive, so a
ring that is counter-clockwise in local metres stays counter-clockwise in lon/lat.

Usage
-----
    python3 geo/mumianling/generate.py           # rewrite the layer files and site.yaml (deterministic)
    python3 geo/mumianling/generate.py --check   # check the files on disk (geometry rules below)

The check reads the GeoJSON files back (plus ../../missions/hill-fire-patrol.yaml and
../../simulators/hill-fire.yaml), converts them to local metres and verifies:
  * every ring is closed and every exterior ring is counter-clockwise;
  * the 19 towers lie inside the boundary, do not overlap and keep at least MIN_TOWER_GAP_M apart;
  * the boundary covers 0.22-0.28 km^2; the hill covers 0.30-0.40 km^2, has 8-14 vertices and lies
    outside the boundary (at most touching it);
  * a no-fly zone overlaps the hill's edge, cutting a single notch (exactly two boundary crossings:
    no split, no hole) and the hill minus the no-fly zones stays roughly convex;
  * the straight segment from the hive to the hill's centroid crosses no tower and no no-fly zone;
  * the simulated fire is inside the hill, outside every no-fly zone, >= 60 m from the hill's edge;
and prints an estimate of the sortie (transit + lawnmower sweep + return) at the mission's speed.
Standard library only.
"""

import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

# --------------------------------------------------------------------------------------------
# Parameters (local metres: x east, y north of the origin)
# --------------------------------------------------------------------------------------------

ORIGIN_LON = 114.130
ORIGIN_LAT = 22.570
ORIGIN_GROUND_ELEVATION_M = 20  # metres above sea level (illustrative)

M_PER_DEG_LAT = 110_770.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(ORIGIN_LAT))

# Community boundary: an irregular ~520 x 520 m polygon, counter-clockwise.
BOUNDARY = [
    (0, 0), (260, -15), (510, 10), (525, 240), (500, 490), (250, 505), (20, 480), (-10, 250),
]

# Towers: (centre x, centre y, rotation deg) in four rows; footprints are 30 m (E-W) x 40 m (N-S)
# rectangles. Row pitch 80 m, column pitch 65 m: 30-40 m between neighbours. The open middle of
# rows 2 and 3 is the central plaza; the strip north of row 4 holds the community service centre.
TOWER_W, TOWER_D = 30.0, 40.0
TOWER_ROWS = [
    # (row centre y, rotation deg, column centres x)
    (70, 4, [60, 125, 190, 255, 320]),
    (150, -3, [60, 125, 385, 450]),
    (230, 3, [60, 125, 385, 450]),
    (310, -4, [60, 125, 190, 255, 320, 385]),
]
TOWER_HEIGHTS_M = [
    156, 162, 171, 148, 139,
    183, 177, 150, 144,
    188, 192, 141, 135,
    168, 159, 174, 165, 129, 121,
]
MIN_TOWER_GAP_M = 20.0

# The wooded hill, north of the estate across a ~20 m road; 12 vertices, counter-clockwise.
# About 0.30 km^2 and 460 m north-south: nine east-west lines 49 m apart cover it, so that the
# sortie (transit + sweep + return) stays near 15 minutes at 8 m/s.
HILL = [
    (0, 530), (300, 525), (535, 540), (670, 610), (725, 740), (695, 870),
    (575, 952), (360, 988), (150, 966), (-10, 888), (-70, 750), (-50, 615),
]

# No-fly zones: axis-aligned rectangles (x0, y0, x1, y1).
NO_FLY = [
    {
        "id": "nfz-kindergarten",
        "name": "Mumianling kindergarten",
        "reason": "kindergarten: child safety and privacy",
        "rect": (390, 20, 490, 100),
        "floor_m": 0,
        "ceiling_m": 120,
    },
    {
        "id": "nfz-substation",
        "name": "110 kV substation at the foot of the hill",
        "reason": "high-voltage substation: collision risk and electromagnetic interference",
        "rect": (470, 515, 590, 595),  # cuts a notch off the hill's south-east corner
        "floor_m": 0,
        "ceiling_m": 300,
    },
]

# Terrain: ground heights (metres above sea level, EGM96) on a grid in the site CRS (EPSG:4547).
# The estate and the road are flat at the origin's elevation; the hill is a smooth dome whose
# foot starts at the road, written as an ESRI ASCII grid (terrain.asc, opens in QGIS).
# Local metres become EPSG:4547 metres by adding the origin's projected coordinates, from
# `echo "22.57 114.13" | cs2cs EPSG:4326 EPSG:4547`; the grid convergence (0.05 deg) and the
# difference between the tangent-plane formulas above and the projection move points by
# under a metre over the site, small against the 20 m cells.
ORIGIN_EASTING, ORIGIN_NORTHING = 513369.780, 2496924.762
TERRAIN_CELL_M = 20.0
TERRAIN_X = (-160, 860)    # west and east edges, local metres
TERRAIN_Y = (-100, 1120)   # south and north edges, local metres
HILL_TOP_XY = (330, 760)   # summit
HILL_TOP_M = 60.0          # summit above the estate's ground
HILL_SIGMA_M = (190.0, 150.0)  # east-west and north-south spread of the dome
HILL_FOOT_Y = 505          # the dome's foot due south of the summit (the road; flat estate south of it)


def terrain_height(x, y):
    """Ground height above the estate's ground (metres) at local (x, y): a Gaussian dome cut at the
    contour through the foot and rescaled so the summit is HILL_TOP_M; zero outside that contour."""
    def dome(dx, dy):
        return math.exp(-0.5 * ((dx / HILL_SIGMA_M[0]) ** 2 + (dy / HILL_SIGMA_M[1]) ** 2))
    base = dome(0, HILL_FOOT_Y - HILL_TOP_XY[1])
    return HILL_TOP_M * max(0.0, dome(x - HILL_TOP_XY[0], y - HILL_TOP_XY[1]) - base) / (1 - base)


def terrain_grid():
    """Columns, rows and heights (metres above sea level, north row first) of the terrain grid."""
    cols = int(round((TERRAIN_X[1] - TERRAIN_X[0]) / TERRAIN_CELL_M))
    rows = int(round((TERRAIN_Y[1] - TERRAIN_Y[0]) / TERRAIN_CELL_M))
    heights = []
    for r in range(rows):
        y = TERRAIN_Y[1] - (r + 0.5) * TERRAIN_CELL_M
        heights.append([ORIGIN_GROUND_ELEVATION_M + terrain_height(TERRAIN_X[0] + (c + 0.5) * TERRAIN_CELL_M, y)
                        for c in range(cols)])
    return cols, rows, heights


def write_terrain():
    cols, rows, heights = terrain_grid()
    lines = [
        "ncols %d" % cols,
        "nrows %d" % rows,
        "xllcorner %.3f" % (ORIGIN_EASTING + TERRAIN_X[0]),
        "yllcorner %.3f" % (ORIGIN_NORTHING + TERRAIN_Y[0]),
        "cellsize %g" % TERRAIN_CELL_M,
    ]
    lines += [" ".join("%.1f" % h for h in row) for row in heights]
    with open(os.path.join(HERE, "terrain.asc"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


HIVE_XY = (250, 455)       # roof of the community service centre, north edge of the estate
STATION_XY = (255, 190)    # robot charging station in the central plaza
FIRE_XY = (360, 800)       # default simulated fire (simulators/hill-fire.yaml)

# Ground-robot path graph: nodes (x, y, level; level 0 = ground, -1 = basement) and edges
# (from, to, kind, extra cost in seconds). Streets run between the tower rows and columns;
# a door and a lift take the robot from the street into tower T07's lobby and down to the
# basement, a ramp brings it back up at the east side.
PATH_NODES = {
    "station-1": (255, 190, 0), "plaza-w": (157, 190, 0), "plaza-e": (352, 190, 0),
    "j157-110": (157, 110, 0), "j352-110": (352, 110, 0), "j157-270": (157, 270, 0), "j352-270": (352, 270, 0),
    "j92-110": (92, 110, 0), "j92-270": (92, 270, 0), "j92-30": (92, 30, 0), "j92-360": (92, 360, 0),
    "j255-30": (255, 30, 0), "j352-30": (352, 30, 0), "j255-360": (255, 360, 0), "j352-360": (352, 360, 0),
    "gate-south": (258, 2, 0), "gate-north": (255, 478, 0), "kindergarten-gate": (417, 110, 0),
    "T07-street": (157, 150, 0), "T07-lobby": (132, 150, 0), "ramp-top": (417, 270, 0),
    "b1-T07": (131, 150, -1), "b1-pump-room": (200, 150, -1), "b1-garage-w": (157, 230, -1),
    "b1-garage-e": (352, 150, -1), "b1-ramp-bottom": (417, 190, -1),
}
PATH_EDGES = [
    ("station-1", "plaza-w", "path", 0), ("station-1", "plaza-e", "path", 0),
    ("plaza-w", "j157-110", "path", 0), ("plaza-w", "j157-270", "path", 0),
    ("plaza-e", "j352-110", "path", 0), ("plaza-e", "j352-270", "path", 0),
    ("j157-110", "j92-110", "path", 0), ("j92-110", "j92-30", "path", 0), ("j92-30", "j255-30", "path", 0),
    ("j255-30", "gate-south", "path", 0), ("j255-30", "j352-30", "path", 0), ("j352-30", "j352-110", "path", 0),
    ("j157-110", "j352-110", "path", 0), ("j352-110", "kindergarten-gate", "path", 0),
    ("j157-270", "j92-270", "path", 0), ("j92-270", "j92-110", "path", 0), ("j157-270", "j352-270", "path", 0),
    ("j352-270", "ramp-top", "path", 0), ("j92-270", "j92-360", "path", 0), ("j92-360", "j255-360", "path", 0),
    ("j255-360", "gate-north", "path", 0), ("j255-360", "j352-360", "path", 0),
    ("j352-360", "j352-270", "path", 0),
    ("plaza-w", "T07-street", "path", 0), ("T07-street", "T07-lobby", "door", 15),
    ("T07-lobby", "b1-T07", "lift", 60),
    ("b1-T07", "b1-pump-room", "path", 0), ("b1-pump-room", "b1-garage-e", "path", 0),
    ("b1-T07", "b1-garage-w", "door", 10), ("b1-garage-w", "b1-pump-room", "path", 0),
    ("b1-garage-e", "b1-ramp-bottom", "path", 0), ("b1-ramp-bottom", "ramp-top", "ramp", 20),
]

# --------------------------------------------------------------------------------------------
# Conversions
# --------------------------------------------------------------------------------------------


def to_lonlat(p):
    x, y = p
    return [round(ORIGIN_LON + x / M_PER_DEG_LON, 7), round(ORIGIN_LAT + y / M_PER_DEG_LAT, 7)]


def to_local(lonlat):
    lon, lat = lonlat[0], lonlat[1]
    return ((lon - ORIGIN_LON) * M_PER_DEG_LON, (lat - ORIGIN_LAT) * M_PER_DEG_LAT)


def ring_lonlat(points):
    ring = [to_lonlat(p) for p in points]
    ring.append(list(ring[0]))
    return ring


def rect(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def tower_footprint(cx, cy, rot_deg):
    a = math.radians(rot_deg)
    c, s = math.cos(a), math.sin(a)
    hw, hd = TOWER_W / 2, TOWER_D / 2
    out = []
    for dx, dy in [(-hw, -hd), (hw, -hd), (hw, hd), (-hw, hd)]:
        out.append((round(cx + dx * c - dy * s, 3), round(cy + dx * s + dy * c, 3)))
    return out


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def polygon_feature(points, props):
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring_lonlat(points)]},
    }


def point_feature(p, props):
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": to_lonlat(p)}}

# Edges two robots cannot pass each other on (one robot at a time): the door, the lift and the
# ramp as `narrow`, the garage lane to the ramp by its width (under 1.6 m is narrow).
NARROW_PATHS = {"T07-street--T07-lobby": None, "T07-lobby--b1-T07": None, "b1-T07--b1-garage-w": None,
                "b1-garage-e--b1-ramp-bottom": 1.4, "b1-ramp-bottom--ramp-top": None}


def path_feature(edge):
    a, b, kind, cost = edge
    (ax, ay, al), (bx, by, bl) = PATH_NODES[a], PATH_NODES[b]
    props = {"id": "%s--%s" % (a, b), "from": a, "to": b, "kind": kind, "cost_s": cost, "level": al}
    if bl != al:
        props["to_level"] = bl
    if props["id"] in NARROW_PATHS:
        if NARROW_PATHS[props["id"]] is None:
            props["narrow"] = True
        else:
            props["width_m"] = NARROW_PATHS[props["id"]]
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "LineString", "coordinates": [to_lonlat((ax, ay)), to_lonlat((bx, by))]}}


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def write_json(name, obj):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8") as f:
        # One feature per block, compact coordinate pairs: reviewable diffs.
        text = json.dumps(obj, indent=2, ensure_ascii=False)
        text = re.sub(r"\[\s+(-?[0-9.]+),\s+(-?[0-9.]+)\s+\]", r"[\1, \2]", text)
        f.write(text + "\n")


SITE_YAML = """\
# Illustrative model of the Mumianling community (Luohu, Shenzhen); see ../README.md.
# Generated by generate.py; edit the parameters there and rerun it.
id: mumianling
name: Mumianling Community, Luohu, Shenzhen
crs: EPSG:4547          # CGCS2000 / 3-degree Gauss-Kruger CM 114E: the site's projected CRS (metres)
origin:                 # a reference point for the local frame; ground level
  lon: {lon}
  lat: {lat}
  ground_elevation_m: {elev}     # metres above sea level
layers:
  boundary: boundary.geojson
  towers: towers.geojson
  areas: areas.geojson
  no_fly: no-fly.geojson
  facilities: facilities.geojson
  paths: paths.geojson
  terrain: terrain.asc     # ground heights, metres above sea level (EGM96), grid in the site CRS
"""


def towers_local():
    out = []
    for cy, rot, xs in TOWER_ROWS:
        for cx in xs:
            out.append(tower_footprint(cx, cy, rot))
    return out


def generate():
    write_json("boundary.geojson", collection([
        polygon_feature(BOUNDARY, {"id": "mumianling", "name": "Mumianling Community"}),
    ]))

    towers = towers_local()
    assert len(towers) == 19 and len(TOWER_HEIGHTS_M) == 19
    write_json("towers.geojson", collection([
        polygon_feature(t, {"id": "T%02d" % (i + 1), "name": "Tower %d" % (i + 1),
                            "height_m": TOWER_HEIGHTS_M[i]})
        for i, t in enumerate(towers)
    ]))

    write_json("areas.geojson", collection([
        polygon_feature(HILL, {"id": "hill", "name": "Mumianling wooded hill", "kind": "hill"}),
    ]))

    write_json("no-fly.geojson", collection([
        polygon_feature(rect(*z["rect"]), {"id": z["id"], "name": z["name"], "reason": z["reason"],
                                           "floor_m": z["floor_m"], "ceiling_m": z["ceiling_m"]})
        for z in NO_FLY
    ]))

    write_json("facilities.geojson", collection([
        point_feature(HIVE_XY, {"id": "hive-1", "kind": "hive",
                                "name": "Hill hive (roof of the community service centre)",
                                "ground_elevation_m": 0}),
        point_feature(STATION_XY, {"id": "station-1", "kind": "robot_station",
                                   "name": "Robot charging station (central plaza)",
                                   "ground_elevation_m": 0}),
    ]))

    write_json("paths.geojson", collection([path_feature(e) for e in PATH_EDGES]))
    write_terrain()

    with open(os.path.join(HERE, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(SITE_YAML.format(lon="%.3f" % ORIGIN_LON, lat="%.3f" % ORIGIN_LAT,
                                 elev=ORIGIN_GROUND_ELEVATION_M))

    hl, fl = to_lonlat(HIVE_XY), to_lonlat(FIRE_XY)
    print("wrote layers to %s" % HERE)
    print("hive-1 lon/lat: %.7f %.7f" % (hl[0], hl[1]))
    print("fire-1 lon/lat: %.7f %.7f  (simulators/hill-fire.yaml)" % (fl[0], fl[1]))


# --------------------------------------------------------------------------------------------
# Geometry helpers (local metres)
# --------------------------------------------------------------------------------------------


def signed_area(poly):
    s = 0.0
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return s / 2.0


def centroid(poly):
    a = signed_area(poly)
    cx = cy = 0.0
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        k = x1 * y2 - x2 * y1
        cx += (x1 + x2) * k
        cy += (y1 + y2) * k
    return (cx / (6 * a), cy / (6 * a))


def point_in_polygon(p, poly):
    x, y = p
    inside = False
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xi > x:
                inside = not inside
    return inside


def cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segments_intersect(p1, p2, q1, q2):
    """Proper or touching intersection of segments p1p2 and q1q2."""
    d1, d2 = cross(q1, q2, p1), cross(q1, q2, p2)
    d3, d4 = cross(p1, p2, q1), cross(p1, p2, q2)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 != 0 and d2 != 0 and d3 != 0 and d4 != 0:
        return True

    def on_seg(a, b, c):
        return (min(a[0], b[0]) - 1e-9 <= c[0] <= max(a[0], b[0]) + 1e-9 and
                min(a[1], b[1]) - 1e-9 <= c[1] <= max(a[1], b[1]) + 1e-9)

    eps = 1e-9
    if abs(d1) < eps and on_seg(q1, q2, p1):
        return True
    if abs(d2) < eps and on_seg(q1, q2, p2):
        return True
    if abs(d3) < eps and on_seg(p1, p2, q1):
        return True
    if abs(d4) < eps and on_seg(p1, p2, q2):
        return True
    return False


def edges(poly):
    n = len(poly)
    return [(poly[i], poly[(i + 1) % n]) for i in range(n)]


def crossing_count(a, b):
    return sum(1 for e in edges(a) for f in edges(b) if segments_intersect(e[0], e[1], f[0], f[1]))


def segment_point_distance(a, b, p):
    ax, ay = a
    bx, by = b
    px, py = p
    dx, dy = bx - ax, by - ay
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L))
    return math.hypot(ax + t * dx - px, ay + t * dy - py)


def polygon_distance(a, b):
    """0 if the polygons intersect or one contains the other, else the minimum edge distance."""
    if crossing_count(a, b) or point_in_polygon(a[0], b) or point_in_polygon(b[0], a):
        return 0.0
    d = float("inf")
    for e in edges(a):
        for p in b:
            d = min(d, segment_point_distance(e[0], e[1], p))
    for e in edges(b):
        for p in a:
            d = min(d, segment_point_distance(e[0], e[1], p))
    return d


def point_boundary_distance(p, poly):
    return min(segment_point_distance(e[0], e[1], p) for e in edges(poly))


def segment_hits_polygon(a, b, poly):
    if point_in_polygon(a, poly) or point_in_polygon(b, poly):
        return True
    return any(segments_intersect(a, b, e[0], e[1]) for e in edges(poly))


def clip_convex(subject, clip):
    """Sutherland-Hodgman: subject polygon clipped by a convex counter-clockwise polygon."""
    out = list(subject)
    for c1, c2 in edges(clip):
        inp, out = out, []
        if not inp:
            break
        for i in range(len(inp)):
            cur, prev = inp[i], inp[i - 1]
            cin, pin = cross(c1, c2, cur) >= 0, cross(c1, c2, prev) >= 0
            if cin:
                if not pin:
                    out.append(line_intersection(prev, cur, c1, c2))
                out.append(cur)
            elif pin:
                out.append(line_intersection(prev, cur, c1, c2))
    return out


def line_intersection(p1, p2, q1, q2):
    x1, y1 = p1
    x2, y2 = p2
    x3, y3 = q1
    x4, y4 = q2
    den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
    return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))


def convex_hull(points):
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def line_intervals(poly, y, axis):
    """Intervals where the line (y = const if axis == 0, x = const if axis == 1) is inside poly."""
    xs = []
    for (x1, y1), (x2, y2) in edges(poly):
        if axis == 1:
            x1, y1, x2, y2 = y1, x1, y2, x2
        if (y1 > y) != (y2 > y):
            xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    xs.sort()
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]


def subtract_intervals(ivs, holes):
    for h0, h1 in holes:
        nxt = []
        for a, b in ivs:
            if h1 <= a or h0 >= b:
                nxt.append((a, b))
                continue
            if h0 > a:
                nxt.append((a, h0))
            if h1 < b:
                nxt.append((h1, b))
        ivs = nxt
    return ivs


def sweep_estimate(area, holes, spacing, axis, hive):
    """Length of a boustrophedon sweep of area minus holes, lines spaced `spacing`, plus transit."""
    coords = [p[1] for p in area] if axis == 0 else [p[0] for p in area]
    lo, hi = min(coords), max(coords)
    lines = []
    c = lo + spacing / 2
    while c < hi:
        ivs = line_intervals(area, c, axis)
        for h in holes:
            ivs = subtract_intervals(ivs, line_intervals(h, c, axis))
        if ivs:
            a, b = ivs[0][0], ivs[-1][1]  # fly across any gap on the same line
            lines.append((c, a, b))
        c += spacing
    best = None
    # Try the four corners to start from (first line low or high, flown in either direction);
    # keep the shortest sweep + transit, as a planner would.
    for order in (lines, lines[::-1]):
        for flip in (0, 1):
            pts = []
            for i, (c, a, b) in enumerate(order):
                seg = [(a, c), (b, c)] if (i + flip) % 2 == 0 else [(b, c), (a, c)]
                if axis == 1:
                    seg = [(q, p) for p, q in seg]
                pts.extend(seg)
            sweep = sum(math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1))
            transit = math.dist(hive, pts[0]) + math.dist(pts[-1], hive)
            if best is None or sweep + transit < best[1] + best[2]:
                best = (len(lines), sweep, transit)
    return best


def read_yaml_number(path, key):
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*(?:-\s+)?%s:\s*(-?[0-9.]+)" % re.escape(key), line)
            if m:
                return float(m.group(1))
    raise KeyError("%s not found in %s" % (key, path))


# --------------------------------------------------------------------------------------------
# Check
# --------------------------------------------------------------------------------------------


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)["features"]


def check():
    errors = []

    def need(cond, msg):
        print(("ok   " if cond else "FAIL ") + msg)
        if not cond:
            errors.append(msg)

    layers = {n: load(n) for n in ["boundary.geojson", "towers.geojson", "areas.geojson",
                                   "no-fly.geojson", "facilities.geojson"]}

    def local_exterior(feature, where):
        g = feature["geometry"]
        need(g["type"] == "Polygon", "%s %s is a Polygon" % (where, feature["properties"]["id"]))
        for k, ring in enumerate(g["coordinates"]):
            closed = ring[0] == ring[-1] and len(ring) >= 4
            need(closed, "%s %s ring %d closed" % (where, feature["properties"]["id"], k))
            a = signed_area([to_local(p) for p in ring[:-1]])
            want_ccw = k == 0
            need((a > 0) == want_ccw, "%s %s ring %d %s" % (
                where, feature["properties"]["id"], k, "counter-clockwise" if want_ccw else "clockwise"))
        return [to_local(p) for p in g["coordinates"][0][:-1]]

    boundary = local_exterior(layers["boundary.geojson"][0], "boundary")
    towers = {f["properties"]["id"]: local_exterior(f, "tower") for f in layers["towers.geojson"]}
    areas = {f["properties"]["id"]: (f, local_exterior(f, "area")) for f in layers["areas.geojson"]}
    nofly = {f["properties"]["id"]: local_exterior(f, "no-fly") for f in layers["no-fly.geojson"]}
    facilities = {f["properties"]["id"]: f for f in layers["facilities.geojson"]}

    # Boundary
    b_area = signed_area(boundary)
    need(0.22e6 <= b_area <= 0.28e6, "boundary area %.3f km2 in 0.22-0.28" % (b_area / 1e6))
    lon0, lat0 = layers["boundary.geojson"][0]["geometry"]["coordinates"][0][0]
    need(22.55 <= lat0 <= 22.60 and 114.10 <= lon0 <= 114.16, "boundary within 22.55-22.60 N, 114.10-114.16 E")

    # Towers
    need(len(towers) == 19, "19 towers (found %d)" % len(towers))
    for tid, t in towers.items():
        need(all(point_in_polygon(p, boundary) for p in t) and crossing_count(t, boundary) == 0,
             "tower %s inside the boundary" % tid)
    for f in layers["towers.geojson"]:
        h = f["properties"]["height_m"]
        need(100 <= h <= 200, "tower %s height %s m in 100-200" % (f["properties"]["id"], h))
    ids = sorted(towers)
    min_gap = min(polygon_distance(towers[a], towers[b]) for i, a in enumerate(ids) for b in ids[i + 1:])
    need(min_gap >= MIN_TOWER_GAP_M, "towers do not overlap; minimum gap %.1f m >= %.0f m" % (min_gap, MIN_TOWER_GAP_M))

    # Robot paths: ground-level streets miss every tower, every path ends at its nodes, the
    # station is a node and every node is reachable from it.
    paths = load("paths.geojson")
    nodes, adjacent = {}, {}
    for f in paths:
        p = f["properties"]
        a, b = [to_local(q) for q in f["geometry"]["coordinates"]]
        for nid, q in ((p["from"], a), (p["to"], b)):
            need(nid not in nodes or math.dist(nodes[nid], q) < 0.5, "path node %s has one position" % nid)
            nodes[nid] = q
        adjacent.setdefault(p["from"], set()).add(p["to"])
        adjacent.setdefault(p["to"], set()).add(p["from"])
        if p["kind"] == "path" and p["level"] == 0:
            hit = [t for t, poly in towers.items() if segment_hits_polygon(a, b, poly)]
            need(not hit, "path %s crosses no tower %s" % (p["id"], hit or ""))
    seen, todo = {"station-1"}, ["station-1"]
    while todo:
        for n in adjacent.get(todo.pop(), ()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    need(seen == set(nodes), "every path node reachable from station-1 (%d of %d)" % (len(seen), len(nodes)))
    station = to_local(facilities["station-1"]["geometry"]["coordinates"])
    need(math.dist(nodes.get("station-1", (1e9, 0)), station) < 0.5, "path node station-1 at the robot station")

    # Hill
    hill_f, hill = areas["hill"]
    need(hill_f["properties"] == {"id": "hill", "name": "Mumianling wooded hill", "kind": "hill"}, "hill properties")
    h_area = signed_area(hill)
    need(0.30e6 <= h_area <= 0.40e6, "hill area %.3f km2 in 0.30-0.40" % (h_area / 1e6))
    need(8 <= len(hill) <= 14, "hill has %d vertices (8-14)" % len(hill))
    need(len(hill_f["geometry"]["coordinates"]) == 1, "hill has no holes")
    hb_gap = polygon_distance(hill, boundary)
    need(crossing_count(hill, boundary) == 0 and not any(point_in_polygon(p, boundary) for p in hill)
         and not any(point_in_polygon(p, hill) for p in boundary),
         "hill outside the boundary (gap %.1f m)" % hb_gap)

    # No-fly zones against the hill
    clipped_area = h_area
    overlapping = []
    for nid, z in nofly.items():
        n = crossing_count(hill, z)
        inside = any(point_in_polygon(p, hill) for p in z)
        if n == 0 and not inside:
            continue
        overlapping.append(nid)
        need(n == 2, "no-fly %s crosses the hill edge exactly twice (%d): a single notch, no split" % (nid, n))
        need(not all(point_in_polygon(p, hill) for p in z), "no-fly %s is not a hole in the hill" % nid)
        ia = abs(signed_area(clip_convex(hill, z)))
        clipped_area -= ia
        print("     no-fly %s removes %.0f m2 of the hill" % (nid, ia))
    # Vertices of hill minus the overlapping zones: hill vertices outside them, zone vertices
    # inside the hill, and the points where the edges cross. Their hull is the difference's hull.
    zs = [nofly[n] for n in overlapping]
    diff_pts = [p for p in hill if not any(point_in_polygon(p, z) for z in zs)]
    for z in zs:
        diff_pts += [p for p in z if point_in_polygon(p, hill)]
        for e in edges(hill):
            for f in edges(z):
                if segments_intersect(e[0], e[1], f[0], f[1]):
                    diff_pts.append(line_intersection(e[0], e[1], f[0], f[1]))
    need(len(overlapping) >= 1, "a no-fly zone overlaps the hill edge: %s" % ", ".join(overlapping))
    hull = convex_hull([(round(x, 6), round(y, 6)) for x, y in diff_pts])
    convexity = clipped_area / abs(signed_area(hull))
    need(convexity >= 0.9, "hill minus no-fly: %.3f km2, area / convex hull = %.3f (>= 0.9)" % (
        clipped_area / 1e6, convexity))

    # Hive and station
    hive_f = facilities["hive-1"]
    hive = to_local(hive_f["geometry"]["coordinates"])
    need(hive_f["properties"]["kind"] == "hive", "hive-1 is a hive")
    hc = centroid(hill)
    need(not any(segment_hits_polygon(hive, hc, t) for t in towers.values()),
         "hive-1 -> hill centroid crosses no tower")
    need(not any(segment_hits_polygon(hive, hc, z) for z in nofly.values()),
         "hive-1 -> hill centroid crosses no no-fly zone")
    need(not any(point_in_polygon(hive, z) for z in nofly.values()), "hive-1 outside no-fly zones")
    st = facilities["station-1"]
    sp = to_local(st["geometry"]["coordinates"])
    need(st["properties"]["kind"] == "robot_station" and point_in_polygon(sp, boundary)
         and not any(point_in_polygon(sp, t) for t in towers.values()),
         "station-1 inside the boundary and in no tower")

    # Fire in the scenario
    sim = os.path.join(REPO, "simulators", "hill-fire.yaml")
    fire = to_local((read_yaml_number(sim, "lon"), read_yaml_number(sim, "lat")))
    fd = point_boundary_distance(fire, hill)
    need(point_in_polygon(fire, hill) and fd >= 60, "fire-1 inside the hill, %.0f m from its edge (>= 60)" % fd)
    need(not any(point_in_polygon(fire, z) for z in nofly.values()), "fire-1 outside no-fly zones")

    # Sortie estimate
    mis = os.path.join(REPO, "missions", "hill-fire-patrol.yaml")
    alt = read_yaml_number(mis, "altitude_m")
    speed = read_yaml_number(mis, "speed_mps")
    hfov = read_yaml_number(mis, "horizontal_fov_deg")
    side = read_yaml_number(mis, "side_overlap")
    spacing = 2 * alt * math.tan(math.radians(hfov / 2)) * (1 - side)
    print("     swath spacing %.1f m (altitude %.0f m, hfov %.0f deg, side overlap %.2f)" % (spacing, alt, hfov, side))
    holes = [nofly[n] for n in overlapping]
    for axis, label in [(0, "east-west"), (1, "north-south")]:
        n, sweep, transit = sweep_estimate(hill, holes, spacing, axis, hive)
        total = sweep + transit
        minutes = total / speed / 60
        msg = "%s lines: %d lines, sweep %.0f m + transit %.0f m = %.0f m, %.1f min at %.0f m/s" % (
            label, n, sweep, transit, total, minutes, speed)
        if axis == 0:
            need(12 <= minutes <= 16, "sortie " + msg + " (12-16)")
        else:
            print("     sortie " + msg)

    # Terrain: the grid on disk is the one the parameters give, covers the site and the hill with
    # room for the geofence margin, keeps the estate flat and puts the summit inside the hill.
    with open(os.path.join(HERE, "terrain.asc"), encoding="utf-8") as f:
        text = f.read().split("\n")
    header = dict(line.split() for line in text[:5])
    cols, rows, heights = terrain_grid()
    disk = [[float(v) for v in line.split()] for line in text[5:] if line.strip()]
    need(int(header["ncols"]) == cols and int(header["nrows"]) == rows and len(disk) == rows
         and all(len(r) == cols for r in disk), "terrain grid is %d x %d cells" % (cols, rows))
    need(all(abs(a - b) < 0.051 for ra, rb in zip(disk, heights) for a, b in zip(ra, rb)),
         "terrain.asc matches the parameters (rerun generate.py after editing them)")
    x0 = float(header["xllcorner"]) - ORIGIN_EASTING
    y0 = float(header["yllcorner"]) - ORIGIN_NORTHING
    x1, y1 = x0 + cols * TERRAIN_CELL_M, y0 + rows * TERRAIN_CELL_M
    covered = BOUNDARY + HILL
    need(all(x0 + 30 + TERRAIN_CELL_M <= x <= x1 - 30 - TERRAIN_CELL_M
             and y0 + 30 + TERRAIN_CELL_M <= y <= y1 - 30 - TERRAIN_CELL_M for x, y in covered),
         "terrain covers the boundary and the hill plus the 30 m geofence margin")
    need(max(abs(terrain_height(x, y)) for x, y in BOUNDARY + [HIVE_XY, STATION_XY]) < 0.01,
         "the estate is flat (terrain 0 m at the boundary, the hive and the station)")
    need(point_in_polygon(HILL_TOP_XY, HILL), "the summit (%.0f m above the estate) is inside the hill" % HILL_TOP_M)
    steepest = max(
        math.hypot(terrain_height(x + 1, y) - terrain_height(x - 1, y), terrain_height(x, y + 1) - terrain_height(x, y - 1)) / 2
        for x in range(-100, 800, 10) for y in range(480, 1050, 10))
    need(steepest < 0.35, "steepest slope %.0f %% (< 35 %%: 8 m/s over it climbs or sinks under 3 m/s)" % (steepest * 100))

    if errors:
        print("\n%d check(s) failed" % len(errors))
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(check())
    if sys.argv[1:]:
        sys.exit("usage: generate.py [--check]")
    generate()
