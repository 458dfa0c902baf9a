"""An independent coverage planner for the benchmark: angle-searching boustrophedon with shapely.

Written from the textbook description, not from Patrol's code. For each sweep direction (every
degree), the flyable polygon is cut by parallel lines `spacing` apart, centred across its width;
the pieces are flown as a snake (alternating direction, pieces of one line in order along it),
joined by straight connections. The direction with the shortest path wins (then fewer turns).
Straight connections may leave a concave polygon; that only flatters the reference.
"""

import math

from shapely import affinity
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.ops import unary_union


def flyable(area, exclusions, edge_inset=2.0, clearance=10.0):
    """The area shrunk by `edge_inset`, minus every exclusion grown by `clearance` (metres)."""
    result = area.buffer(-edge_inset)
    if exclusions:
        result = result.difference(unary_union([z.buffer(clearance) for z in exclusions]))
    return result


def pieces(geometry):
    if geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        return [geometry]
    if isinstance(geometry, MultiLineString):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, LineString)]


def sweep(poly, angle_deg, spacing):
    """Snake path over `poly` with lines along `angle_deg` (degrees counter-clockwise from east)."""
    centre = poly.centroid
    turned = affinity.rotate(poly, -angle_deg, origin=centre)
    minx, miny, maxx, maxy = turned.bounds
    height = maxy - miny
    count = max(1, math.ceil(height / spacing))
    first = miny + (height - (count - 1) * spacing) / 2
    path, lines = [], 0
    for k in range(count):
        y = first + k * spacing
        cut = turned.intersection(LineString([(minx - 10, y), (maxx + 10, y)]))
        segs = sorted((s for s in pieces(cut) if s.length > 2), key=lambda s: min(s.coords[0][0], s.coords[-1][0]))
        if not segs:
            continue
        lines += len(segs)
        if k % 2 == 1:
            segs = segs[::-1]
        for s in segs:
            a, b = sorted([s.coords[0], s.coords[-1]])
            path += [a, b] if k % 2 == 0 else [b, a]
    if not path:
        return None
    line = affinity.rotate(LineString(path), angle_deg, origin=centre) if len(path) > 1 else None
    return line, lines


def turns(points, tolerance_deg=1.0):
    count = 0
    for p, q, r in zip(points, points[1:], points[2:]):
        u = (q[0] - p[0], q[1] - p[1])
        v = (r[0] - q[0], r[1] - q[1])
        nu, nv = math.hypot(*u), math.hypot(*v)
        if nu < 1e-6 or nv < 1e-6:
            continue
        if (u[0] * v[0] + u[1] * v[1]) / (nu * nv) < math.cos(math.radians(tolerance_deg)):
            count += 1
    return count


def plan(poly, spacing, step_deg=1, objective="length"):
    """The best snake over `poly`: (path length, turns, lines, angle).

    `objective` "length" keeps the shortest path (then the fewest turns); "lines" keeps the
    fewest lines, then the shortest path, as Patrol does.
    """
    best = None
    best_key = None
    for angle in range(0, 180, step_deg):
        result = sweep(poly, angle, spacing)
        if result is None or result[0] is None:
            continue
        line, lines = result
        coords = list(line.coords)
        t = turns(coords)
        key = (line.length, t) if objective == "length" else (lines, line.length, t)
        if best_key is None or key < best_key:
            best_key = key
            best = (line.length, t, lines, angle)
    return best
