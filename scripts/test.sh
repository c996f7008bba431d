#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what the tests need, builds in Release with
# warnings as errors, runs every test project, and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYDEVD_DISABLE_FILE_VALIDATION=1

bash scripts/install-deps.sh
dotnet build Workbench.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test Workbench.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# Sum the per-project result lines ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed:' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
rm -f "$log"
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
