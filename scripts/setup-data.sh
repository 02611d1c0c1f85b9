#!/usr/bin/env bash
# Fills data/mnist/ (relative to the repository root) with the four MNIST IDX files.
# See docs/data.md. Run with --help for the order of sources.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/setup-data.sh [--offline] [--help]

Fills data/mnist/ (relative to the repository root) with the four MNIST files
train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
t10k-labels-idx1-ubyte.gz, taking the first source that works:

  1. an existing complete copy in data/mnist/
  2. $MNIST_DIR, if set and complete (the files are copied)
  3. ../shared/data/mnist relative to the repository root (developer / CI copy)
  4. a download from the public mirrors (skipped with --offline)
  5. offline on Debian: the package dataset-fashion-mnist (installed with apt-get if
     needed, as root), copied to data/fashion-mnist/. That is Fashion-MNIST, NOT
     MNIST: runs must then pass --dataset fashion-mnist.

Every MNIST file is verified by the sha256 of its uncompressed content (the
Fashion-MNIST files likewise, against the Debian package's content). Prints the
source used; exits non-zero with a one-line reason when no source worked.
USAGE
}

offline=0
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --offline) offline=1 ;;
        *) echo "setup-data: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/data/mnist"
fashion_dest="$root/data/fashion-mnist"
shared="$root/../shared/data/mnist"

files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# sha256 of the UNCOMPRESSED files (as in ../shared/data/mnist/README.md).
declare -A mnist_sha=(
    [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
    [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
    [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
    [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
# Fashion-MNIST, uncompressed, as shipped by Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1.
declare -A fashion_sha=(
    [train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
    [train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
    [t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
    [t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

mirrors=(
    https://ossci-datasets.s3.amazonaws.com/mnist/
    https://storage.googleapis.com/cvdf-datasets/mnist/
)

say() { echo "setup-data: $*"; }
reasons=()

# The file for base name $2 in directory $1 (raw preferred, as the loader does), or nothing.
pick() {
    if [ -f "$1/$2" ]; then echo "$1/$2"; elif [ -f "$1/$2.gz" ]; then echo "$1/$2.gz"; fi
}

# sha256 of the content, inflated when it starts with the gzip magic (by content, not name).
content_sha() {
    local magic
    magic="$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')"
    if [ "$magic" = "1f8b" ]; then gzip -dc "$1" | sha256sum; else sha256sum <"$1"; fi | cut -d' ' -f1
}

# verify DIR SHA-ARRAY-NAME: succeeds when DIR holds all four files with the right content;
# otherwise sets $why.
verify() {
    local dir="$1" f path got
    local -n want="$2"
    why=""
    [ -d "$dir" ] || { why="$dir does not exist"; return 1; }
    for f in "${files[@]}"; do
        path="$(pick "$dir" "$f")"
        [ -n "$path" ] || { why="$dir has no $f[.gz]"; return 1; }
        got="$(content_sha "$path")" || { why="$path is not readable or a corrupt gzip"; return 1; }
        [ "$got" = "${want[$f]}" ] || { why="$path has sha256 $got, expected ${want[$f]}"; return 1; }
    done
}

# install_from SRC DEST: copy the four files (gzip-compressing raw ones) into DEST atomically per file.
install_from() {
    local src="$1" out="$2" f path tmp
    mkdir -p "$out"
    for f in "${files[@]}"; do
        path="$(pick "$src" "$f")"
        tmp="$(mktemp "$out/.$f.XXXXXX")"
        if [ "$(head -c 2 "$path" | od -An -tx1 | tr -d ' \n')" = "1f8b" ]; then
            cp "$path" "$tmp"
        else
            gzip -c "$path" >"$tmp"
        fi
        rm -f "$out/$f" "$out/$f.gz"          # no stale raw file may shadow the new .gz
        mv "$tmp" "$out/$f.gz"
        chmod 644 "$out/$f.gz"
    done
}

done_mnist() {
    say "MNIST ready in data/mnist/ (source: $1)"
    exit 0
}

# 1. An existing complete copy.
if verify "$dest" mnist_sha; then done_mnist "existing data/mnist/"; fi
reasons+=("data/mnist: $why")

# 2. $MNIST_DIR.
if [ -n "${MNIST_DIR:-}" ]; then
    if verify "$MNIST_DIR" mnist_sha; then
        install_from "$MNIST_DIR" "$dest"
        verify "$dest" mnist_sha || { echo "setup-data: copy from \$MNIST_DIR failed verification: $why" >&2; exit 1; }
        done_mnist "\$MNIST_DIR=$MNIST_DIR (copied)"
    fi
    reasons+=("\$MNIST_DIR: $why")
else
    reasons+=("\$MNIST_DIR unset")
fi

# 3. The developer / CI copy beside the repository.
if verify "$shared" mnist_sha; then
    install_from "$shared" "$dest"
    verify "$dest" mnist_sha || { echo "setup-data: copy from ../shared/data/mnist failed verification: $why" >&2; exit 1; }
    done_mnist "../shared/data/mnist (copied)"
fi
reasons+=("../shared/data/mnist: $why")

# 4. Download.
download() {
    local tmpdir f m ok err
    tmpdir="$(mktemp -d)"
    trap 'rm -rf "$tmpdir"' RETURN
    for f in "${files[@]}"; do
        ok=0
        for m in "${mirrors[@]}"; do
            say "downloading ${m}$f.gz"
            if err="$(curl --fail --silent --show-error --location --connect-timeout 10 --max-time 600 \
                           --output "$tmpdir/$f.gz" "${m}$f.gz" 2>&1)"; then
                ok=1; break
            fi
            say "  failed: ${err//$'\n'/ }"
        done
        if [ "$ok" = 0 ]; then why="download of $f.gz failed from every mirror"; return 1; fi
    done
    verify "$tmpdir" mnist_sha || { why="downloaded files: $why"; return 1; }
    install_from "$tmpdir" "$dest"
}
if [ "$offline" = 1 ]; then
    reasons+=("download skipped (--offline)")
elif download; then
    done_mnist "download from the public mirrors"
else
    reasons+=("$why")
fi

# 5. Offline on Debian: Fashion-MNIST from the package dataset-fashion-mnist.
fashion_pkg_dir() {
    dpkg -L dataset-fashion-mnist 2>/dev/null | grep '/train-images-idx3-ubyte.gz$' | xargs -r dirname | head -n 1
}
fashion() {
    local dir
    fashion_source="existing data/fashion-mnist/"
    if verify "$fashion_dest" fashion_sha; then return 0; fi
    fashion_source="Debian package dataset-fashion-mnist"
    command -v dpkg >/dev/null 2>&1 || { why="not Debian (no dpkg) for dataset-fashion-mnist"; return 1; }
    if ! dpkg -s dataset-fashion-mnist >/dev/null 2>&1; then
        local sudo=""
        if [ "$(id -u)" != 0 ]; then
            if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
                why="dataset-fashion-mnist is not installed and installing it needs root (apt-get install dataset-fashion-mnist)"
                return 1
            fi
        fi
        if ! apt-cache show dataset-fashion-mnist >/dev/null 2>&1; then
            say "apt-get update (to find dataset-fashion-mnist)"
            $sudo apt-get update -qq >/dev/null 2>&1 || true
        fi
        say "apt-get install dataset-fashion-mnist"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 \
            || { why="apt-get install dataset-fashion-mnist failed"; return 1; }
    fi
    dir="$(fashion_pkg_dir)"
    [ -n "$dir" ] || { why="dataset-fashion-mnist is installed but dpkg -L lists no train-images-idx3-ubyte.gz"; return 1; }
    verify "$dir" fashion_sha || { why="dataset-fashion-mnist: $why"; return 1; }
    install_from "$dir" "$fashion_dest"
    fashion_source="Debian package dataset-fashion-mnist ($dir, copied)"
    verify "$fashion_dest" fashion_sha || { why="data/fashion-mnist: $why"; return 1; }
}
if fashion; then
    cat <<'BANNER'
setup-data: ##########################################################################
setup-data: ##  MNIST IS NOT AVAILABLE: USING FASHION-MNIST INSTEAD                    ##
setup-data: ##  Fashion-MNIST (Zalando, MIT licence) is in data/fashion-mnist/, from   ##
setup-data: ##  the Debian package dataset-fashion-mnist. data/mnist/ is NOT complete. ##
setup-data: ##  Every run must pass  --dataset fashion-mnist  and its results are not  ##
setup-data: ##  comparable with MNIST results.                                        ##
setup-data: ##########################################################################
BANNER
    say "Fashion-MNIST ready in data/fashion-mnist/ (source: $fashion_source)"
    exit 0
fi
reasons+=("Fashion-MNIST fallback: $why")

reason="$(printf '%s; ' "${reasons[@]}")"
echo "setup-data: no data source worked: ${reason%; }" >&2
exit 1
