#!/usr/bin/env bash
# The DNS recorder against dnsmasq (same query file, same run), then 10k q/s sustained.
set -euo pipefail
cd "$(dirname "$0")/../.."
node dist/bench/dns/dns-bench.js
