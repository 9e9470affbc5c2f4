#!/usr/bin/env bash
# Runs every test: installs the npm packages of the local Cosmos-compatible server and Azurite, builds, and runs the
# xunit suite (which starts and stops those servers on 127.0.0.1 itself). Then checks the Bicep templates when they exist.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== npm ci (tools/cosmos-local: Cosmos-compatible server; tools/local-dev: Azurite; tools/console: Chart.js)"
npm ci --prefix tools/cosmos-local --no-audit --no-fund --loglevel=error
npm ci --prefix tools/local-dev --no-audit --no-fund --loglevel=error
npm ci --prefix tools/console --no-audit --no-fund --loglevel=error

echo "== dotnet build"
dotnet build EscalationFunctions.sln --configuration Release --nologo -clp:ErrorsOnly

echo "== dotnet test"
log=$(mktemp)
status=0
dotnet test EscalationFunctions.sln --configuration Release --no-build --nologo 2>&1 | tee "$log" || status=$?

if [ -x infra/validate.sh ]; then
  echo "== infra/validate.sh"
  infra/validate.sh || status=$?
fi

# One plain summary line for CI: "N passed, N failed".
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
