#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: `fuzz/run.sh [SECONDS_PER_TARGET]` (default 60).
#
# Safe Rust throughout, so no sanitizer: more runs per second.
#
# Needs a nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz, which this
# script installs from crates.io when it is missing. New inputs go to fuzz/corpus/<target>/,
# crashes to fuzz/artifacts/<target>/ (both ignored by git); the script exits non-zero on the
# first crash. Seeds: fuzz/seeds/, and for the spec loader the workspace's specs and the
# bad-spec corpus.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
case "$seconds" in
  ''|*[!0-9]*) echo "usage: fuzz/run.sh [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: cargo-fuzz needs a nightly toolchain: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

seeds_for() {
  case "$1" in
    spec_loader) echo "../spec ../codegen/tests/bad-specs ../codegen/tests/fixtures" ;;
    *) echo "seeds/$1" ;;
  esac
}

for target in destination decode spec_loader; do
  mkdir -p "corpus/$target"
  echo "== fuzz/$target for ${seconds}s"
  # shellcheck disable=SC2046 # the seed folders are separate arguments
  cargo +nightly fuzz run --sanitizer none "$target" "corpus/$target" $(seeds_for "$target") -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 -print_final_stats=1
done
echo "fuzz/run.sh: no crash in ${seconds}s per target"
