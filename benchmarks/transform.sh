#!/bin/sh
# Batch transform of N points (default 1,000,000) EPSG:4326 -> EPSG:4547: Patrol's Transformer
# (release build) against raw proj_trans_generic called from C, alternating, RUNS times each.
# Prints every run, then the medians and their ratio (Patrol / C; target >= 0.9).
set -eu
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-7}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

cc -O2 -o "$OUT/proj_trans_bench" benchmarks/proj_trans_bench.c -lproj
swift build -c release --product patrol >/dev/null
PATROL=$(swift build -c release --show-bin-path)/patrol

i=0
while [ "$i" -lt "$RUNS" ]; do
    "$OUT/proj_trans_bench" "$N" | tee -a "$OUT/c"
    "$PATROL" bench transform --points "$N" | tee -a "$OUT/swift"
    i=$((i + 1))
done

# The rates (4th column) of the lines for one kind, sorted.
rates() { awk -v k="$1" '$1 == k { print $4 }' "$2" | sort -n; }
median() { rates "$1" "$2" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
spread() { rates "$1" "$2" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f..%.0f", lo, hi }'; }
C=$(median c "$OUT/c")
S=$(median swift "$OUT/swift")
X=$(median swift-xyz "$OUT/swift")
echo
echo "points per second, median of $RUNS runs of $N points (min..max):"
echo "  C proj_trans_generic          $C  ($(spread c "$OUT/c"))"
echo "  Patrol transform(x:y:z:)      $S  ($(spread swift "$OUT/swift"))"
echo "  Patrol transform([XYZ])       $X  ($(spread swift-xyz "$OUT/swift"))"
awk -v s="$S" -v x="$X" -v c="$C" \
    'BEGIN { printf "ratio Patrol/C: in-place %.3f, [XYZ] %.3f (target >= 0.9)\n", s / c, x / c }'
