#!/usr/bin/env bash
# Interrupt benchmark (not a test): for each case of the kernel's interrupt test (a loop, a recursion, sleeps, waits),
# the seconds from interrupt_request to the cell's idle status through jupyter_client; then the cost of the checks
# the engine inserts into C# loops (scripts/bench/interrupt_checks.cs: rewritten vs as written, goal within 5 %).
# Build first: dotnet build src/Workbench.Cli -c Release
# Usage: scripts/bench/interrupt.sh [--no-loops]
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYDEVD_DISABLE_FILE_VALIDATION=1
workbench=src/Workbench.Cli/bin/Release/net10.0/workbench
[ -x "$workbench" ] || { echo "interrupt.sh: $workbench not found; build it with: dotnet build src/Workbench.Cli -c Release" >&2; exit 2; }
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
"$workbench" kernel install --prefix "$prefix" >/dev/null
JUPYTER_PATH="$prefix/share/jupyter" JUPYTER_RUNTIME_DIR="$prefix/runtime" \
  /usr/bin/python3 tests/Workbench.Kernel.Tests/Integration/Scripts/interrupt_client.py \
  | /usr/bin/python3 -c '
import json, sys
line = next(l for l in sys.stdin if l.startswith("RESULTS "))
print("%-20s %22s  %s" % ("case", "interrupt to idle (s)", "ename"))
for name, r in json.loads(line[8:]).items():
    print("%-20s %22.3f  %s" % (name, r["seconds"], r["ename"]))'
if [ "${1:-}" != "--no-loops" ]; then
  echo
  dotnet run scripts/bench/interrupt_checks.cs -c Release
fi
