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
port=7071
api="http://127.0.0.1:$port/api"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[1;31mrun-local: %s\033[0m\n' "$*" >&2; exit 1; }

# Every process is started in its own session (setsid), so stopping its process group also stops what it started:
# `func start` runs the host, which runs the .NET worker; Ctrl+C must stop all of them and free the port.
start_group() { setsid "$@" & pids+=($!); }
stop_all() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -eq 0 ] && return
  say "Stopping everything this script started"
  for pid in "${pids[@]}"; do kill -INT -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for _ in $(seq 1 10); do
    port_in_use || { echo "Stopped; port $port is free."; return; }
    sleep 0.5
  done
  echo "run-local: port $port is still in use by another process" >&2
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
trap stop_all EXIT
trap 'exit 130' INT TERM

for tool in dotnet node npm curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required; see README.md"; exit 1; }
done

say "Installing local emulators (npm)"
npm ci --prefix tools/cosmos-local --no-audit --no-fund --loglevel=error
npm ci --prefix tools/local-dev --no-audit --no-fund --loglevel=error
npm ci --prefix tools/console --no-audit --no-fund --loglevel=error
if ! command -v func >/dev/null; then
  say "Installing Azure Functions Core Tools 4 (npm, global)"
  npm install --global azure-functions-core-tools@4 --unsafe-perm true --no-audit --no-fund
fi

if [ ! -f Functions/local.settings.json ]; then
  say "Creating Functions/local.settings.json from local.settings.sample.json"
  cp local.settings.sample.json Functions/local.settings.json
fi

say "Starting Azurite, the Cosmos-compatible server and the mail capture"
start_group tools/local-dev/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --location "$state/azurite"
start_group node tools/cosmos-local/server.js --host 127.0.0.1 --port 8081
start_group node tools/mail-capture/server.js --host 127.0.0.1 --port 10025

say "Building and starting the function app (func start)"
(cd Functions && exec setsid func start --port "$port") &
pids+=($!)
host_pid=${pids[-1]}

ready=0
for _ in $(seq 1 240); do
  kill -0 "$host_pid" 2>/dev/null || fail "func start exited before the app answered; see its output above."
  if curl -s -o /dev/null "$api/health"; then ready=1; break; fi
  sleep 1
done
[ $ready -eq 1 ] || fail "the app did not answer $api/health within 240 s; see the output above."

say "Seeding the demo org directory (PUT /api/directory)"
seed_body=$(mktemp)
seed_status=$(curl -sS -o "$seed_body" -w '%{http_code}' -X PUT "$api/directory" \
  -H 'Content-Type: application/json' -H 'X-Dev-User: local-admin;Local Admin;;admin' \
  --data-binary @samples/demo-directory.json) || seed_status=000
if [ "$seed_status" != 200 ]; then
  cat "$seed_body" >&2; echo >&2
  fail "loading the directory answered HTTP $seed_status (body above)."
fi
cat "$seed_body"; echo; rm -f "$seed_body"

say "Health"
health=$(curl -sS "$api/health") || fail "GET $api/health failed."
echo "$health"
case "$health" in
  *'"status":"healthy"'*) ;;
  *) fail "the app is not healthy after seeding (see the health report above)." ;;
esac

cat <<INFO

  Console     $api/console   (pick a demo person to sign in; README: "The browser console")
  API         $api   (OpenAPI: /api/openapi.yaml, health: /api/health)
  Sent mail   http://127.0.0.1:10025/
  Try it      curl -X POST $api/tickets -H 'Content-Type: application/json' \\
                -H 'X-Dev-User: user-ursula;Ursula User;ursula.user@example.edu' \\
                -d '{"subject":"Laptop will not boot","description":"Black screen"}'
  Stop        Ctrl+C (stops the host, its worker and the emulators)

INFO
wait "$host_pid" || true
fail "func start exited."
