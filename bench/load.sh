#!/usr/bin/env bash
# load.sh [N ...] -- how long loading a zone of about N names takes, and the
# peak memory it needs: dnslab beside named-checkzone and nsd-checkzone on
# the same generated files, in one run (default N: 100000 1000000).
#
# Zones come from genzone.sh of the shared benchmark harness (BENCH_DIR,
# default ../shared/bench next to the repository). Each tool checks each
# file ROUNDS times (default 3), the tools interleaved; the table gives the
# median wall time and peak RSS (/usr/bin/time), the peak per name, and
# both as ratios to nsd-checkzone. dnslab is timed as `dnslab check`, which
# parses, indexes and checks exactly as the server does when it loads a zone.
# named-checkzone runs with -i local: it must not look names up off the box.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BENCH_DIR=${BENCH_DIR:-$root/../shared/bench}
ROUNDS=${ROUNDS:-3}
WORK=${WORK:-${TMPDIR:-/tmp}/dnslab-bench-load}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)

die() { echo "bench-load: $*" >&2; exit 1; }
[[ -x $BENCH_DIR/genzone.sh ]] || die "no genzone.sh in $BENCH_DIR (set BENCH_DIR)"
[[ -x /usr/bin/time ]] || die "needs GNU time (Debian package time)"
for tool in named-checkzone nsd-checkzone; do
  command -v "$tool" >/dev/null || die "needs $tool (Debian packages bind9-utils, nsd)"
done

mkdir -p "$WORK"
(cd "$root" && go build -o "$WORK/dnslab" ./cmd/dnslab)

# measure TOOL FILE: print "seconds peak_kb" for one check of FILE.
measure() {
  local tool=$1 file=$2 cmd
  case $tool in
    dnslab) cmd=("$WORK/dnslab" check -o big.example "$file") ;;
    named-checkzone) cmd=(named-checkzone -i local -q big.example "$file") ;;
    nsd-checkzone) cmd=(nsd-checkzone big.example "$file") ;;
  esac
  /usr/bin/time -f '%e %M' -o "$WORK/time.out" "${cmd[@]}" >/dev/null 2>&1 ||
    die "$tool failed on $file"
  cat "$WORK/time.out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

tools=(dnslab named-checkzone nsd-checkzone)
echo "# zone load: ${ROUNDS} rounds, medians; $(nproc) CPUs, $(uname -r)"
echo
echo "| names | tool | seconds | peak MiB | bytes/name | time ×NSD | memory ×NSD |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  file=$WORK/db.big.example.$n
  [[ -s $file ]] || "$BENCH_DIR/genzone.sh" "$n" "$file" >/dev/null
  : >"$WORK/raw.$n"
  for ((r = 1; r <= ROUNDS; r++)); do
    for tool in "${tools[@]}"; do
      echo "$tool $(measure "$tool" "$file")" >>"$WORK/raw.$n"
    done
  done

  ref_s=$(awk '$1 == "nsd-checkzone" { print $2 }' "$WORK/raw.$n" | median)
  ref_kb=$(awk '$1 == "nsd-checkzone" { print $3 }' "$WORK/raw.$n" | median)
  for tool in "${tools[@]}"; do
    s=$(awk -v t="$tool" '$1 == t { print $2 }' "$WORK/raw.$n" | median)
    kb=$(awk -v t="$tool" '$1 == t { print $3 }' "$WORK/raw.$n" | median)
    awk -v n="$n" -v t="$tool" -v s="$s" -v kb="$kb" -v rs="$ref_s" -v rk="$ref_kb" 'BEGIN {
      printf "| %d | %s | %.2f | %.0f | %.0f | %.2f | %.2f |\n",
        n, t, s, kb / 1024, kb * 1024 / n, s / rs, kb / rk }'
  done
done
