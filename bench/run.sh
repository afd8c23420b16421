#!/usr/bin/env bash
# `make bench`: every benchmark prints its figures and a ratio against a
# reference measured in the same run. Benchmarks never fail on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
ran=0
for b in bench/*/run.sh; do
  [ -f "$b" ] || continue
  echo "== $b" >&2
  bash "$b"
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || echo "no benchmarks yet" >&2
