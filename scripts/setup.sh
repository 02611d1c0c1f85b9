#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for oligopoly: system packages, the release
# binary, and the data (see scripts/setup-data.sh). Safe to run again: it skips what is done.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/setup.sh [--no-data] [--help]

  1. installs the system packages (libzmq3-dev libopenblas-dev pkg-config zlib1g-dev)
     with apt-get if any is missing (as root, or through sudo);
  2. builds the release binary .build/release/oligopoly (swift build -c release);
  3. fills data/mnist/ with scripts/setup-data.sh (skipped with --no-data).
USAGE
}

with_data=1
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --no-data) with_data=0 ;;
        *) echo "setup: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(libzmq3-dev libopenblas-dev pkg-config zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
        echo "setup: missing system packages ${missing[*]} and no apt-get to install them" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }
echo "setup: building the release binary (swift build -c release)"
swift build -c release 2>&1 | grep -vE "prohibited flag|^warning: " | tail -3

if [ "$with_data" -eq 1 ]; then
    "$root/scripts/setup-data.sh"
fi
