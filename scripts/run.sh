#!/usr/bin/env bash
# The main job: sets up what is missing, then runs a topology (default: the paper's duopoly).
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/run.sh [TOPOLOGY] [flags for oligopoly run]

Runs `.build/release/oligopoly run TOPOLOGY [flags]`. TOPOLOGY is a file or the name
of one in topologies/ (duopoly, triopoly, oligopoly-4, ...; default duopoly). If the release binary or the data are missing, runs
scripts/setup.sh first. Flags include --data DIR, --rounds N, --out RUN_DIR,
--dataset fashion-mnist (see `.build/release/oligopoly run --help`).
MNIST is looked up at --data DIR, else $MNIST_DIR, else data/mnist/.
USAGE
}

case "${1:-}" in -h|--help) usage; exit 0 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
binary=.build/release/oligopoly

has_data_flag=0
for arg in "$@"; do case "$arg" in --data|--data=*|--dataset|--dataset=*) has_data_flag=1 ;; esac; done

data_ready() {
    [ "$has_data_flag" -eq 1 ] && return 0
    local d="${MNIST_DIR:-data/mnist}"
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
        [ -e "$d/$f" ] || [ -e "$d/$f.gz" ] || return 1
    done
}

fashion_ready() {
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
        [ -e "data/fashion-mnist/$f" ] || [ -e "data/fashion-mnist/$f.gz" ] || return 1
    done
}

# Set up when the binary is missing, or the data (MNIST, or an earlier Fashion-MNIST fallback).
if [ ! -x "$binary" ] || { ! data_ready && { [ -n "${MNIST_DIR:-}" ] || ! fashion_ready; }; }; then
    echo "run: setting up (binary or data missing)"
    if [ ! -x "$binary" ] || [ "$has_data_flag" -eq 1 ] || [ -n "${MNIST_DIR:-}" ]; then
        scripts/setup.sh $( data_ready && echo --no-data )
    else
        scripts/setup.sh
    fi
else
    # Rebuild if sources changed since the last build (a no-op otherwise).
    echo "run: checking the release build (swift build -c release)"
    if ! swift build -c release > .build/run-build.log 2>&1; then
        grep -E "error:" .build/run-build.log >&2 || tail -5 .build/run-build.log >&2
        echo "run: the release build failed (full log: .build/run-build.log)" >&2
        exit 1
    fi
fi

extra=()
if [ "$has_data_flag" -eq 0 ] && [ -z "${MNIST_DIR:-}" ] && ! data_ready && fashion_ready; then
    echo "run: MNIST is not available; using Fashion-MNIST from data/fashion-mnist (--dataset fashion-mnist)"
    extra=(--dataset fashion-mnist)
fi

topology="topologies/duopoly.json"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then topology="$1"; shift; fi
exec "$binary" run "$topology" "${extra[@]}" "$@"
