#!/usr/bin/env bash
# The unpacker under hostile images: FUZZ_CASES (default 5000) seeded mutations of the fixture
# and real firmware; prints the count tried and the outcomes by code.
set -euo pipefail
cd "$(dirname "$0")/../.."
node dist/bench/unpack-fuzz/unpack-fuzz.js
