#!/usr/bin/env bash
# Runs the test suite N times (default 5) while stress-ng keeps both cores busy (--cpu 2), to show that no test
# depends on timing: a flaky test fails here long before it fails in CI. Each round also runs the official kernel's
# `#!connect jupyter` 10 times under the same load (scripts/official-connect-check.py), the step of CI's oracle
# notebook runs that hung once. Builds once, then prints one line per round and a closing "stress: N rounds,
# N failed". Optional second argument: a dotnet test --filter to run only some tests (and no connect check).
#   bash scripts/stress-tests.sh            # 5 rounds of everything
#   bash scripts/stress-tests.sh 10 'FullyQualifiedName~RawClientTests|FullyQualifiedName~GemmAllocationTests'
set -euo pipefail
source "$(dirname "$0")/sigint-default.sh"
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYDEVD_DISABLE_FILE_VALIDATION=1
rounds=${1:-5}
filter=${2:-}

# The same oracles as scripts/test.sh (official kernel, Slurm), so that the whole suite runs, not a subset.
source scripts/test-prereqs.sh
if ! command -v stress-ng >/dev/null; then
  echo "stress: stress-ng is not installed and could not be installed (needs root for apt-get); nothing run" >&2
  exit 1
fi
dotnet build Workbench.sln -c Release -nologo -clp:ErrorsOnly

logs=$(mktemp -d)
hog=
stop_hog() { if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=; fi; }
trap stop_hog EXIT
failed_rounds=0
for round in $(seq 1 "$rounds"); do
  stress-ng --cpu 2 --timeout 0 --quiet & hog=$!
  args=(test Workbench.sln -c Release --no-build -nologo)
  [ -n "$filter" ] && args+=(--filter "$filter")
  start=$SECONDS
  verdict=passed
  dotnet "${args[@]}" >"$logs/round-$round.log" 2>&1 || verdict=FAILED
  connects=
  if [ -z "$filter" ] && [ -n "${DOTNET_INTERACTIVE_JUPYTER_PATH:-}" ]; then
    JUPYTER_PATH="$DOTNET_INTERACTIVE_JUPYTER_PATH" /usr/bin/python3 scripts/official-connect-check.py 10 \
      >"$logs/connect-$round.log" 2>&1 || verdict=FAILED
    connects="; official #!connect: $(tail -n 1 "$logs/connect-$round.log")"
  fi
  [ "$verdict" = FAILED ] && failed_rounds=$((failed_rounds + 1))
  stop_hog
  totals=$(grep -E '(Passed|Failed)! +- +Failed:' "$logs/round-$round.log" | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { printf "%d passed, %d failed, %d skipped", p, f, s }')
  echo "stress round $round/$rounds: $verdict ($totals$connects) in $((SECONDS - start)) s under stress-ng --cpu 2"
  if [ "$verdict" = FAILED ]; then grep -E '^\s+Failed |Error Message' -A3 "$logs/round-$round.log" | head -n 40 | sed 's/^/  /'; fi
done
echo "stress: $rounds rounds, $failed_rounds failed (logs in $logs)"
[ "$failed_rounds" -eq 0 ]
