#!/usr/bin/env bash
# `make demo`: the bundled HomeShield old-vs-new scenario, with its report.
# Boots the fixture firmware's 1.0.7 (the bug) and 1.0.9 (the fix) in sealed
# labs, switches HomeShield on and off through the web UI, and judges the DNS
# egress. Exit 0: the bug is reproduced on 1.0.7 and the fix holds on 1.0.9.
set -euo pipefail
cd "$(dirname "$0")/.."
report_dir="${FIRMLAB_DEMO_DIR:-.firmlab/demo}"
rm -rf "$report_dir"
status=0
node dist/harness/cli/main.js run scenarios/homeshield-dns-request-logic.yaml --report-dir "$report_dir" || status=$?
echo "beside report.html: report.json, junit.xml, and per build console.log, wan.pcap, dns.jsonl, egress.jsonl" >&2
exit "$status"
