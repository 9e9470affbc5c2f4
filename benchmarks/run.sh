#!/usr/bin/env bash
# Benchmarks of the escalation engine on the Durable Functions Azure Storage backend (Azurite), with the app's real
# services, the local Cosmos-compatible server and a SendGrid stand-in; each run starts and stops its own servers.
#
#   benchmarks/run.sh lag  [--tickets 40] [--window 00:00:30] [--stagger 00:00:20] [--polling 00:00:01|00:00:30]
#       submits web tickets, never answers them, and prints how many seconds after each SLA deadline the
#       escalation e-mails arrived (p50/p90/p99/max), as a table and a "JSON {...}" line.
#   benchmarks/run.sh idle [--idle 90] [--warmup SECONDS] [--polling 00:00:01|00:00:30]
#       runs the engine with nothing in flight and counts the storage requests Azurite receives, per idle hour,
#       by service (queue/table/blob), operation and queue.
#   benchmarks/run.sh escalate [--tickets 40] [--stagger 00:00:20] [--polling 00:00:01]
#       opens tickets, then posts one manager escalation per ticket and prints how long each took until the assigned
#       coordinator's e-mail arrived (p50/p90/p99/max).
#   benchmarks/run.sh reports [--tickets 100000] [--rounds 200]
#       projects --tickets synthetic tickets of a 50-agent desk spread over a year into the reporting read model on the
#       local Cosmos server (the projection's own code), then times --rounds requests of each report: SLA over the year
#       by team, agent and area and for one team, the last 30 days, the escalation-requester report over the year and a
#       30-day drill-down, plus the bare queries for a year of day documents and of day summaries (p50/p90/p99).
#   benchmarks/run.sh worklist [--tickets 100000] [--rounds 200]
#       applies --tickets synthetic tickets (one in twenty open) to the worklist read model with the projection's own
#       code, then times --rounds worklist pages of each view for an agent and for the CIO (six counts and a page each).
#   benchmarks/run.sh intake [--tickets 200] [--clients 8] [--lag-tickets 40] [--window 00:00:20] [--out FILE]
#       web intake end to end (the web intake function, each ticket's orchestration scheduled on the engine by the
#       app's background starter, after a warm-up of 600 tickets and 40 breaches, whose cold-start cost is printed too):
#       tickets/s and p50/p90/p99 latency at 1 and 8 clients, process CPU (and the JIT compiler's time) per ticket,
#       Cosmos round trips and request units per ticket by kind, storage transactions per ticket, then the escalation
#       lag of --lag-tickets short-window tickets; a table, a "JSON {...}" line and a JSON file (default
#       benchmarks/results/intake-<UTC time>.json).
#   benchmarks/run.sh crash [--tickets 60] [--window 00:00:45] [--stagger 00:00:20] [--burst 20]
#       two instances of the app (own processes, own Durable worker ids, one task hub) share a wave of web tickets; in
#       the middle of the breach wave one takes --burst high-priority tickets and is killed (SIGKILL). Prints tickets and
#       e-mails lost, e-mails duplicated, and each notice's lag after its deadline by what the dead instance held.
#
# --polling overrides maxQueuePollingInterval; by default it is read from Functions/host.json.
# Not part of tools/test.sh: a run takes one to three minutes (intake: about three).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  lag | idle | intake | escalate | reports | worklist | crash) ;;
  *) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "$tool is required; see README.md" >&2; exit 1; }
done

# Azurite (tools/local-dev) and the Cosmos-compatible server (tools/cosmos-local), unless installed from the current lock.
for dir in tools/local-dev tools/cosmos-local; do
  if [ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    echo "== npm ci --prefix $dir"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
done

echo "== dotnet build benchmarks/Escalation.Benchmarks"
nice -n 10 dotnet build benchmarks/Escalation.Benchmarks/Escalation.Benchmarks.csproj --configuration Release --nologo -clp:ErrorsOnly

echo "== benchmark: $*"
exec dotnet benchmarks/Escalation.Benchmarks/bin/Release/net10.0/Escalation.Benchmarks.dll "$@"
