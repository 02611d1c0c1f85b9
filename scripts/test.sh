#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine as root: installs the system packages,
# builds in release (training tests are too slow in debug) and runs every test.
# Real MNIST for the tests is read from ../shared/data/mnist (relative to the repository).
set -euo pipefail

case "${1:-}" in
    -h|--help)
        echo "Usage: scripts/test.sh [swift test flags, e.g. --filter MarketTests]"
        echo "Installs libzmq3-dev libopenblas-dev pkg-config zlib1g-dev if missing, then"
        echo "swift build -c release && swift test -c release."
        exit 0 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/setup.sh --no-data

if [ ! -d ../shared/data/mnist ]; then
    echo "test: ../shared/data/mnist is missing: the data tests will fail (they never skip)" >&2
fi

echo "test: swift test -c release $*"
swift test -c release "$@" 2>&1 | grep -vE "prohibited flag"
exit "${PIPESTATUS[0]}"
