#!/usr/bin/env bash
# Repeatability soak: the bundled scenario SOAK_RUNS times (default 20, about 70 s each);
# prints how many runs gave the identical verdict set and the spread of each measured count.
set -euo pipefail
cd "$(dirname "$0")/../.."
node dist/bench/soak/soak.js
