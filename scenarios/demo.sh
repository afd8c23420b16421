#!/usr/bin/env bash
# `make demo`: the bundled HomeShield old-vs-new scenario with its report.
set -euo pipefail
cd "$(dirname "$0")/.."
firmlab=(node dist/harness/cli/main.js)
scenario=scenarios/homeshield-dns-request-logic.yaml
if "${firmlab[@]}" run --help >/dev/null 2>&1; then
  exec "${firmlab[@]}" run "$scenario" --report-dir .firmlab/demo
fi
cat >&2 <<MSG
firmlab demo: the scenario runner (\`firmlab run\`) is not built yet, so this demo
boots nothing. What it did: installed the prerequisites, started the Docker
engine, built the project's images and the fixture firmware (build/firmware/).
Here is what the machine is ready for:
MSG
"${firmlab[@]}" doctor
ls -l build/firmware/*.bin >&2 2>/dev/null || true
