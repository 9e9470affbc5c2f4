#!/usr/bin/env bash
# Runs the whole system locally on embedded defaults, with no Azure account:
#   Azurite (the Functions host's storage and Durable Functions state) on 127.0.0.1:10000-10002,
#   the Cosmos-compatible server on https://127.0.0.1:8081, the mail capture on http://127.0.0.1:10025,
#   and the function app under `func start` on http://127.0.0.1:7071, seeded with samples/demo-directory.json.
# Service Bus publishing is disabled (no namespace configured); /api/health says so.
# A demo SLA window of seconds: Sla__DefaultWindow=00:00:30 tools/run-local.sh  (or edit Functions/local.settings.json)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="$root/.local"
mkdir -p "$state/azurite"
pids=()

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
stop_all() {
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM

for tool in dotnet node npm curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required; see README.md"; exit 1; }
done

say "Installing local emulators (npm)"
npm ci --prefix tools/cosmos-local --no-audit --no-fund --loglevel=error
npm ci --prefix tools/local-dev --no-audit --no-fund --loglevel=error
if ! command -v func >/dev/null; then
  say "Installing Azure Functions Core Tools 4 (npm, global)"
  npm install --global azure-functions-core-tools@4 --unsafe-perm true --no-audit --no-fund
fi

if [ ! -f Functions/local.settings.json ]; then
  say "Creating Functions/local.settings.json from local.settings.sample.json"
  cp local.settings.sample.json Functions/local.settings.json
fi

say "Starting Azurite, the Cosmos-compatible server and the mail capture"
tools/local-dev/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --location "$state/azurite" &
pids+=($!)
node tools/cosmos-local/server.js --host 127.0.0.1 --port 8081 &
pids+=($!)
node tools/mail-capture/server.js --host 127.0.0.1 --port 10025 &
pids+=($!)

say "Building and starting the function app (func start)"
(cd Functions && func start --port 7071) &
pids+=($!)

for _ in $(seq 1 180); do
  curl -s -o /dev/null http://127.0.0.1:7071/api/health && break
  sleep 1
done

say "Seeding the demo org directory"
curl -sS -X PUT http://127.0.0.1:7071/api/admin/directory \
  -H 'Content-Type: application/json' -H 'X-Dev-User: local-admin;Local Admin;;admin' \
  --data-binary @samples/demo-directory.json
echo

cat <<INFO

  API         http://127.0.0.1:7071/api   (OpenAPI: /api/openapi.yaml, health: /api/health)
  Sent mail   http://127.0.0.1:10025/
  Try it      curl -X POST http://127.0.0.1:7071/api/tickets -H 'Content-Type: application/json' \\
                -H 'X-Dev-User: user-ursula;Ursula User;ursula.user@example.edu' \\
                -d '{"subject":"Laptop will not boot","description":"Black screen"}'
  Stop        Ctrl+C

INFO
wait "${pids[-1]}"
