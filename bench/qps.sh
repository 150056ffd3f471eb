#!/usr/bin/env bash
# qps.sh -- queries a second of `dnslab serve` beside NSD on the same zones
# and query mixes, with dnsperf, in one run: the shared harness's qps.sh
# (BENCH_DIR, default ../shared/bench next to the repository) with dnslab as
# its "ours" server. Server on CPU 0, dnsperf on CPU 1 ("pinned"), then
# CPU per query at a fixed rate ("rate"). Env passes through to the harness:
# SERVERS (default "nsd1 ours"), ZONESETS ("seed big"), ROUNDS (3),
# DURATION (10 s), MODES ("pinned rate"). Only 127.0.0.1 is queried.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BENCH_DIR=${BENCH_DIR:-$root/../shared/bench}
[[ -x $BENCH_DIR/qps.sh ]] || { echo "bench: no qps.sh in $BENCH_DIR (set BENCH_DIR)" >&2; exit 1; }
command -v dnsperf >/dev/null || { echo "bench: needs dnsperf (Debian package dnsperf)" >&2; exit 1; }

work=${WORK:-${TMPDIR:-/tmp}/dnslab-bench-qps}
mkdir -p "$work"
(cd "$root" && go build -o "$work/dnslab" ./cmd/dnslab)

export OURS_CMD="$work/dnslab serve -zone {zone} -origin {origin} -addr 127.0.0.1:{port}"
export SERVERS=${SERVERS:-nsd1 ours}
export MODES=${MODES:-pinned rate}
export OUT=${OUT:-$work/results-$(date +%Y%m%d-%H%M%S)}

"$BENCH_DIR/qps.sh"
echo
cat "$OUT/qps.md"
