#!/usr/bin/env bash
# Boot to ready: 5 boots of each fixture build, 2 labs in parallel, and a tiny
# busybox guest on the same kernel and QEMU as the reference. Prints figures; never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
node dist/bench/boot/boot-bench.js
