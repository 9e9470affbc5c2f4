#!/usr/bin/env bash
# Validates the Bicep in infra/bicep without Azure: lint, build, build-params, format and snapshots.
#
#   infra/validate.sh                      check everything (CI)
#   infra/validate.sh --update-snapshots   also rewrite infra/bicep/main.<env>.snapshot.json (review the diff!)
#
# The Bicep CLI comes from NuGet (tools/bicep/bicep.csproj, restored on first use); set BICEP=/path/to/bicep to
# use another binary. Needs the .NET SDK and jq (or python3).
set -euo pipefail

update_snapshots=false
for arg in "$@"; do
  case "$arg" in
    --update-snapshots) update_snapshots=true ;;
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bicep_dir="$repo_root/infra/bicep"
csproj="$repo_root/tools/bicep/bicep.csproj"

# Placeholder deployment context for snapshots: fixed so that the committed snapshots are reproducible.
snapshot_subscription=00000000-0000-0000-0000-000000000000
snapshot_tenant=00000000-0000-0000-0000-000000000000
snapshot_location=eastus

failures=0
fail() {
  echo "  FAIL  $*"
  failures=$((failures + 1))
}
# Indents tool output under a FAIL line and drops colour codes.
details() { sed -E -e 's/\x1b\[[0-9;]*m//g' -e 's/^/        /'; }
step() { printf '\n== %s\n' "$*"; }

# ----- Bicep CLI ------------------------------------------------------------------------------------------------

find_bicep() {
  if [[ -n "${BICEP:-}" ]]; then
    echo "$BICEP"
    return
  fi
  local version packages
  version="$(sed -n 's/.*"Azure\.Bicep\.CommandLine\.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$csproj")"
  [[ -n "$version" ]] || { echo "no Bicep CLI version in $csproj" >&2; exit 1; }
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  echo "${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
}

bicep="$(find_bicep)"
if [[ ! -f "$bicep" ]]; then
  step "Restoring the Bicep CLI (dotnet restore tools/bicep/bicep.csproj)"
  dotnet restore "$csproj" --verbosity quiet
fi
[[ -f "$bicep" ]] || { echo "Bicep CLI not found at $bicep after restore" >&2; exit 1; }
[[ -x "$bicep" ]] || chmod u+x "$bicep"
echo "Bicep CLI: $bicep ($("$bicep" --version))"

# Counts SARIF results, except use-recent-api-versions (its verdict changes with today's date), and prints them.
sarif_problems() {
  local sarif="$1"
  if command -v jq > /dev/null; then
    jq -r '.runs[].results[] | select(.ruleId != "use-recent-api-versions")
      | "\(.ruleId): \(.message.text) (\(.locations[0].physicalLocation.artifactLocation.uri | sub("^file://"; "")):\(.locations[0].physicalLocation.region.startLine))"' "$sarif"
  else
    python3 - "$sarif" << 'PY'
import json, sys
for run in json.load(open(sys.argv[1]))["runs"]:
    for r in run.get("results", []):
        if r["ruleId"] == "use-recent-api-versions":
            continue
        loc = r["locations"][0]["physicalLocation"]
        print(f'{r["ruleId"]}: {r["message"]["text"]} ({loc["artifactLocation"]["uri"].removeprefix("file://")}:{loc["region"]["startLine"]})')
PY
  fi
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$bicep_dir"
shopt -s nullglob
entry_points=(*.bicep)
param_files=(*.bicepparam)
# Environment parameter files (main.<env>.bicepparam) have committed snapshots. main.bicepparam reads the azd
# environment, so its output depends on the machine: it is linted and built, not snapshotted.
snapshot_param_files=(*.*.bicepparam)
[[ ${#entry_points[@]} -gt 0 ]] || { echo "no .bicep entry points in $bicep_dir" >&2; exit 1; }

# ----- Lint -----------------------------------------------------------------------------------------------------

step "Lint (fails on any diagnostic except use-recent-api-versions)"
for file in "${entry_points[@]}" "${param_files[@]}"; do
  sarif="$work/${file}.sarif"
  if ! "$bicep" lint "$file" --diagnostics-format sarif > "$sarif" 2> "$work/lint.err"; then
    # lint exits non-zero on errors; the SARIF still lists them (or stderr explains).
    details < "$work/lint.err"
  fi
  problems="$(sarif_problems "$sarif")"
  ignored="$(grep -c '"use-recent-api-versions"' "$sarif" || true)"
  if [[ -n "$problems" ]]; then
    fail "$file"
    echo "$problems" | details
  else
    echo "  ok  $file (use-recent-api-versions ignored: $ignored)"
  fi
done

# ----- Build ----------------------------------------------------------------------------------------------------

step "Build (to a temporary directory)"
for file in "${entry_points[@]}"; do
  if "$bicep" build "$file" --outdir "$work/build" 2> "$work/build.err"; then
    echo "  ok  $file"
  else
    fail "$file"
    details < "$work/build.err"
  fi
done

step "Build parameter files"
for file in "${param_files[@]}"; do
  if "$bicep" build-params "$file" --outfile "$work/params/${file%.bicepparam}.parameters.json" 2> "$work/params.err"; then
    echo "  ok  $file"
  else
    fail "$file"
    details < "$work/params.err"
  fi
done

# ----- Format ---------------------------------------------------------------------------------------------------

step "Format (bicep format must change nothing)"
cp -r "$bicep_dir" "$work/format"
"$bicep" format --pattern "$work/format/**/*.bicep" > /dev/null
"$bicep" format --pattern "$work/format/**/*.bicepparam" > /dev/null
while IFS= read -r -d '' file; do
  relative="${file#"$bicep_dir"/}"
  if diff -u "$file" "$work/format/$relative" > "$work/format.diff"; then
    echo "  ok  $relative"
  else
    fail "$relative is not formatted (run: bicep format infra/bicep/$relative)"
    details < "$work/format.diff"
  fi
done < <(find "$bicep_dir" \( -name '*.bicep' -o -name '*.bicepparam' \) -print0 | sort -z)

# ----- Snapshots ------------------------------------------------------------------------------------------------

if $update_snapshots; then
  step "Snapshots (overwrite)"
else
  step "Snapshots (validate against the committed main.<env>.snapshot.json)"
fi
for file in "${snapshot_param_files[@]}"; do
  environment="${file#main.}"
  environment="${environment%.bicepparam}"
  snapshot="${file%.bicepparam}.snapshot.json"
  mode=validate
  if $update_snapshots; then
    mode=overwrite
  elif [[ ! -f "$snapshot" ]]; then
    fail "$snapshot is missing (run: infra/validate.sh --update-snapshots)"
    continue
  fi
  if "$bicep" snapshot "$file" --mode "$mode" \
    --subscription-id "$snapshot_subscription" --tenant-id "$snapshot_tenant" \
    --resource-group "rg-escalation-$environment" --location "$snapshot_location" --deployment-name main \
    > "$work/snapshot.out" 2>&1; then
    echo "  ok  $file -> $snapshot ($mode)"
  else
    fail "$file: the deployment differs from $snapshot (review, then run: infra/validate.sh --update-snapshots)"
    grep -v 'use-recent-api-versions' "$work/snapshot.out" | details || true
  fi
done

# ----- Result ---------------------------------------------------------------------------------------------------

echo
if [[ $failures -gt 0 ]]; then
  echo "infra/validate.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "infra/validate.sh: all checks passed (${#entry_points[@]} entry point(s), ${#param_files[@]} parameter file(s), ${#snapshot_param_files[@]} snapshot(s))"
