#!/usr/bin/env bash
# Spawns a topology: everything on this host, or prints one command line per process
# for running the broker on one host and the firms on others.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/spawn.sh TOPOLOGY [flags for oligopoly run]
       scripts/spawn.sh --print-commands TOPOLOGY [--data DIR] [--out RUN_DIR]

Without --print-commands: runs the broker and one process per firm on this host
(`oligopoly run TOPOLOGY ...`, see `oligopoly run --help`), building the release
binary first if it is missing.

With --print-commands: prints, broker first, the command line of every process, for
starting them by hand on several hosts. The topology then needs explicit tcp endpoints
on an address of the broker's host (see topologies/two-hosts.json); every host needs the
binary, the topology file at the same path and, for firms, the data (--data DIR).
USAGE
}

[ $# -eq 0 ] && { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
binary=.build/release/oligopoly
[ -x "$binary" ] || scripts/setup.sh --no-data

print=0
if [ "$1" = "--print-commands" ]; then print=1; shift; fi
[ $# -ge 1 ] || { echo "spawn: missing TOPOLOGY (see --help)" >&2; exit 2; }
topology="$1"; shift
[ -f "$topology" ] || { echo "spawn: topology file '$topology' does not exist" >&2; exit 2; }

if [ "$print" -eq 1 ]; then
    exec "$binary" run "$topology" --print-commands "$@"
fi
exec "$binary" run "$topology" "$@"
