#!/usr/bin/env bash
# Measures what the whole imported API costs: import, generation, the drift check, checking and
# building the generated crate lean and with every scope (rustc's peak memory with it), and the
# checked-in size per method. Prints a markdown table; BENCHMARKS.md quotes its latest output.
# Run from the workspace root on a quiet machine: `bash xtask/bench/whole-api.sh` (15-25 min on
# 2 cores). Its own target folder keeps the workspace's build untouched; each compile row cleans
# b24-rest first and times the crate alone, its dependencies built.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench-whole-api}"
export CARGO_INCREMENTAL=0

row() { printf '| %s | %s |\n' "$1" "$2"; }
# Runs a command and prints "<seconds> s, peak <MiB> MiB" (peak: the largest process of the
# run, rustc's for a build). The command's own output is dropped; a failure stops the script.
timed() {
  local out
  out=$(mktemp)
  /usr/bin/time -o "$out" -f '%e %M' "$@" >/dev/null 2>&1
  awk '{ printf "%.1f s, peak %.0f MiB", $1, $2 / 1024 }' "$out"
  rm -f "$out"
}
# Times a cargo command on b24-rest itself: its dependencies are built, the crate is not.
crate_timed() {
  cargo clean -q -p b24-rest ${release:+--release}
  timed "$@"
}

cargo build -q --release -p xtask
xtask="$CARGO_TARGET_DIR/release/xtask"

echo "| what | measured |"
echo "|---|---|"
row "\`xtask import --check\` (every page read, drafted, validated)" "$(timed "$xtask" import --check)"
row "\`xtask gen --check\` on the whole API" "$(timed "$xtask" gen --check)"
row "\`xtask gen\` on the whole API (nothing to write)" "$(timed "$xtask" gen)"
# The crate's dependencies first (a lean build of it builds them all), so that the rows below
# time b24-rest itself.
cargo check -q -p b24-rest
cargo build -q -p b24-rest
cargo build -q --release -p b24-rest
row "\`cargo check -p b24-rest\` (default: no scope)" "$(crate_timed cargo check -q -p b24-rest)"
row "\`cargo check -p b24-rest --features log\`" "$(crate_timed cargo check -q -p b24-rest --features log)"
row "\`cargo check -p b24-rest --features full\`" "$(crate_timed cargo check -q -p b24-rest --features full)"
row "\`cargo build -p b24-rest\` (default)" "$(crate_timed cargo build -q -p b24-rest)"
row "\`cargo build -p b24-rest --features full\`" "$(crate_timed cargo build -q -p b24-rest --features full)"
release=1
row "\`cargo build --release -p b24-rest --features full\`" "$(crate_timed cargo build -q --release -p b24-rest --features full)"

python3 - <<'PY'
import glob, os, statistics
methods = []
for path in glob.glob("generated/src/api/*/*.rs"):
    text = open(path, encoding="utf-8").read()
    if "impl ::b24_rest_runtime::Method for" in text:
        methods.append((text.count("\n"), len(text.encode())))
lines = sorted(m[0] for m in methods)
sizes = sorted(m[1] for m in methods)
rust = sum(open(p, encoding="utf-8").read().count("\n") for p in glob.glob("generated/**/*.rs", recursive=True))
data = sum(os.path.getsize(p) for p in glob.glob("generated/**/*.json", recursive=True))
yaml = sum(os.path.getsize(p) for p in glob.glob("spec/imported/**/*.yaml", recursive=True))
print(f"| method files | {len(methods)} |")
print(f"| lines a method file: median / p90 / max | {statistics.median(lines):.0f} / {lines[int(0.9 * len(lines))]} / {lines[-1]} |")
print(f"| bytes a method file: median / mean | {statistics.median(sizes):,.0f} / {sum(sizes) / len(sizes):,.0f} |")
print(f"| generated Rust, all files | {rust:,} lines |")
print(f"| generated data (`spec_data.json`: examples, error tables) | {data:,} bytes |")
print(f"| imported specs (`spec/imported/**/*.yaml`) | {yaml:,} bytes |")
PY
