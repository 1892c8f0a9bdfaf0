#!/usr/bin/env bash
# Check the built bundle as a remote site would run it (`make bundle-selftest`):
#   1. its size is at most 250 MB;
#   2. `rackshift --self-test` passes with a bare environment (no PYTHONPATH, an empty HOME,
#      offscreen), with no network namespace where `unshare -n` works (as root), and under
#      strace, which must see no IPv4/IPv6 socket: Rackshift never touches the network;
#   3. the CLI works from the bundle (`--version`, `demo`);
#   4. started as a GUI with no project, it creates the demo portfolio in the user's data
#      folder (QStandardPaths AppDataLocation, under HOME);
#   5. nothing is written inside the bundle.
# Usage: packaging/check_bundle.sh [BUNDLE_DIR [OUT_DIR]]
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=${1:-dist/rackshift}
OUT=${2:-build/bundle-selftest}
EXE="$BUNDLE/rackshift"
MAX_MB=250

CHECKS=0
fail() { echo "bundle check FAILED: $*" >&2; echo "bundle: $CHECKS passed, 1 failed"; exit 1; }
passed() { CHECKS=$((CHECKS + 1)); echo "$@"; }
[ -x "$EXE" ] || fail "$EXE not found: run 'make package' first"
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
GUI_PID=""
cleanup() {
  if [ -n "$GUI_PID" ]; then kill "$GUI_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

size_mb=$(du -sm "$BUNDLE" | cut -f1)
echo "bundle: $BUNDLE, $(du -sh "$BUNDLE" | cut -f1) ($size_mb MB), $(find "$BUNDLE" -type f | wc -l) files"
[ "$size_mb" -le "$MAX_MB" ] || fail "the bundle is $size_mb MB, more than $MAX_MB MB"
CHECKS=$((CHECKS + 1))

# Run the bundle with nothing from this shell: no PYTHONPATH, no virtual env, an empty HOME.
NO_NET=()
if unshare -n true 2>/dev/null; then NO_NET=(unshare -n); fi
bare() {  # bare HOME COMMAND...
  local home=$1; shift
  env -i HOME="$home" QT_QPA_PLATFORM=offscreen "${NO_NET[@]}" "$@"
}
touch "$WORK/stamp"
sleep 1  # so that anything written in the bundle from now on is newer than the stamp

# 2. the self-test, without a network, and traced
mkdir -p "$WORK/home-selftest"
bare "$WORK/home-selftest" "$EXE" --self-test --out "$OUT" || fail "the self-test failed (see $OUT/selftest.json)"
passed "self-test passed${NO_NET:+ with no network namespace (unshare -n)}: $OUT/selftest.json"
if command -v strace >/dev/null 2>&1 && strace -f -qq -o /dev/null true 2>/dev/null; then
  mkdir -p "$WORK/home-strace"
  strace -f -qq -e trace=network -e signal=none -o "$OUT/strace-network.txt" \
    env -i HOME="$WORK/home-strace" QT_QPA_PLATFORM=offscreen \
    "$EXE" --self-test --out "$WORK/strace-out" >/dev/null || fail "the self-test failed under strace"
  if grep -E "AF_INET|AF_PACKET|sin_port|sin6_port" "$OUT/strace-network.txt" >&2; then
    fail "the self-test opened an IP socket (see $OUT/strace-network.txt)"
  fi
  passed "network: no IPv4/IPv6 socket among $(wc -l < "$OUT/strace-network.txt") traced socket calls"
else
  echo "network: strace not installed or not permitted here, trace skipped"
fi

# 3. the CLI from the bundle
mkdir -p "$WORK/home-cli"
bare "$WORK/home-cli" "$EXE" --version | grep -q "^rackshift " || fail "--version"
bare "$WORK/home-cli" "$EXE" demo "$WORK/home-cli/demo.sqlite" >/dev/null || fail "rackshift demo"
[ -s "$WORK/home-cli/demo.sqlite" ] || fail "rackshift demo wrote no file"
passed "cli: --version and demo work"

# 4. the GUI's first start writes the demo into the user's data folder
mkdir -p "$WORK/home-gui"
# not through bare(): a backgrounded function is a subshell, and $! would be its pid, not the app's
env -i HOME="$WORK/home-gui" QT_QPA_PLATFORM=offscreen "${NO_NET[@]}" "$EXE" >"$OUT/gui.log" 2>&1 &
GUI_PID=$!
demo=""
for _ in $(seq 1 120); do
  demo=$(find "$WORK/home-gui" -name demo-portfolio.sqlite 2>/dev/null | head -1)
  [ -n "$demo" ] && break
  kill -0 "$GUI_PID" 2>/dev/null || break
  sleep 0.5
done
sleep 1  # let the window open on it
kill -0 "$GUI_PID" 2>/dev/null || { cat "$OUT/gui.log" >&2; fail "the GUI exited on its own"; }
kill "$GUI_PID"
wait "$GUI_PID" 2>/dev/null || true
GUI_PID=""
[ -n "$demo" ] || { cat "$OUT/gui.log" >&2; fail "the GUI wrote no demo portfolio under HOME"; }
case "$demo" in
  "$WORK/home-gui/.local/share/"*) passed "gui: first start created ${demo#"$WORK/home-gui/"} in the user's data folder" ;;
  *) fail "the demo went to $demo, not the user's data folder" ;;
esac

# 5. nothing written inside the bundle
changed=$(find "$BUNDLE" -newer "$WORK/stamp" | head -5)
[ -z "$changed" ] || fail "files written inside the bundle: $changed"
passed "bundle: unchanged by the runs"
echo "bundle check passed"
echo "bundle: $CHECKS passed, 0 failed"
