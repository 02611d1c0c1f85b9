#!/usr/bin/env bash
# Runs a grid of topologies x seeds x cap policies and collects one CSV table.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/sweep.sh [--topologies "T1 T2 ..."] [--seeds "0 1 ..."]
                        [--policies "exact duopoly-pairwise"] [--rounds N]
                        [--out DIR] [--data DIR]

Runs `oligopoly run` for every combination (one after another; each run already uses
every core) into DIR/<topology>-s<seed>-<policy>[-r<rounds>]/ and writes DIR/sweep.csv with one row
per run (`oligopoly report`): final qualities and revenues, Nash product, revenue
decreases (firm-rounds), rounds with a decrease, firms that lost revenue, the largest
relative loss, wall time. Runs already complete in DIR are not repeated.
Defaults: topologies duopoly, triopoly, oligopoly-4, oligopoly-8; seeds "0";
policies "exact duopoly-pairwise"; rounds from each topology; DIR sweeps/<timestamp>.
USAGE
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
topologies="duopoly triopoly oligopoly-4 oligopoly-8"
seeds="0"
policies="exact duopoly-pairwise"
rounds=""
out="sweeps/$(date -u +%Y%m%d-%H%M%S)"
data=()
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --topologies) topologies="$2"; shift 2 ;;
        --seeds) seeds="$2"; shift 2 ;;
        --policies) policies="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --data) data=(--data "$2"); shift 2 ;;
        *) echo "sweep: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for p in $policies; do
    case "$p" in exact|duopoly-pairwise) ;; *) echo "sweep: unknown cap policy '$p' (exact, duopoly-pairwise)" >&2; exit 2 ;; esac
done
for t in $topologies; do
    [ -f "topologies/$t.json" ] || { echo "sweep: no topology topologies/$t.json" >&2; exit 2; }
done
[ -x .build/release/oligopoly ] || scripts/setup.sh --no-data
mkdir -p "$out"
dirs=()
failed=0
for t in $topologies; do
    for s in $seeds; do
        for p in $policies; do
            dir="$out/$t-s$s-$p${rounds:+-r$rounds}"
            dirs+=("$dir")
            if [ -f "$dir/summary.json" ] && grep -q '"status" : "completed"' "$dir/summary.json"; then
                echo "sweep: $dir done already"; continue
            fi
            rm -rf "$dir"
            echo "sweep: $t seed $s policy $p -> $dir"
            args=(run "topologies/$t.json" --seed "$s" --cap-policy "$p" --out "$dir" "${data[@]}")
            [ -n "$rounds" ] && args+=(--rounds "$rounds")
            .build/release/oligopoly "${args[@]}" > "$dir.log" 2>&1 || { echo "sweep: run failed, see $dir.log" >&2; failed=1; }
            tail -n 4 "$dir.log" | head -n 3
        done
    done
done
.build/release/oligopoly report "${dirs[@]}" > "$out/sweep.csv" || true
echo "sweep: table in $out/sweep.csv"
column -s, -t < "$out/sweep.csv" | cut -c1-200 || cat "$out/sweep.csv"
exit "$failed"
