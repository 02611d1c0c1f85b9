#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine as root: installs the system packages,
# builds in release (training tests are too slow in debug) and runs every test.
# Real MNIST for the tests is read from ../shared/data/mnist (relative to the repository).
set -euo pipefail

case "${1:-}" in
    -h|--help)
        echo "Usage: scripts/test.sh [swift test flags, e.g. --filter MarketTests]"
        echo "Installs libzmq3-dev libopenblas-dev pkg-config zlib1g-dev (and iproute2) if missing, then"
        echo "swift build -c release && swift test -c release."
        exit 0 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/setup.sh --no-data

# The multi-host test runs firms in Linux network namespaces: it needs iproute2 (and root).
if ! command -v ip >/dev/null; then
    echo "test: installing iproute2 (network-namespace test)"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null
    else sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y -qq iproute2 >/dev/null; fi
fi

if [ ! -d ../shared/data/mnist ]; then
    echo "test: ../shared/data/mnist is missing: the data tests will fail (they never skip)" >&2
fi

echo "test: swift test -c release $*"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
swift test -c release "$@" 2>&1 | grep --line-buffered -vE "prohibited flag" | tee "$log"
status="${PIPESTATUS[0]}"
set -e
# One plain closing line (the Swift Testing runner's own line is just above).
passed=$(grep -E '^✔ Test ' "$log" | grep -vc '^✔ Test run ' || true)
failed=$(grep -E '^✘ Test .* failed after' "$log" | grep -vc '^✘ Test run ' || true)
echo "test: $passed passed, $failed failed"
exit "$status"
