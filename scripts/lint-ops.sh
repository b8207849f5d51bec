#!/usr/bin/env bash
# Checks the operations files: every workflow against GitHub's schema, every shell script with shellcheck.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for workflow in .github/workflows/*.yml; do
  npx --no-install action-validator "$workflow"
  echo "valid workflow: $workflow"
done

command -v shellcheck >/dev/null || { echo "shellcheck is not installed (Debian: apt-get install -y shellcheck)" >&2; exit 1; }
shellcheck -x scripts/*.sh .ci/run
echo "shellcheck: scripts/*.sh .ci/run clean"
