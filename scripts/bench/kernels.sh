#!/usr/bin/env bash
# Kernel latencies of the Workbench kernel (workbench-csharp) and the official .NET Interactive kernel (.net-csharp,
# scripts/install-official-kernel.sh) side by side, as a Jupyter client sees them: start, first/later C# cell,
# first/later F# cell, Python kernel connect, 10^6 float32 values crossing each way. One kernel at a time; prints a
# Markdown table with the date and CPU for docs/performance.md. Not a test: numbers depend on the machine's load.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYDEVD_DISABLE_FILE_VALIDATION=1
tmp=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT

# The Jupyter client, ipykernel and numpy it drives the kernels with (Debian packages; apt only when one is missing).
bash scripts/install-deps.sh >&2
dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet src/Workbench.Cli/bin/Release/net10.0/workbench.dll kernel install --prefix "$tmp/ours" >/dev/null
official=$(bash scripts/install-official-kernel.sh | sed -n 's/^DOTNET_INTERACTIVE_JUPYTER_PATH=//p')
# Both kernelspecs and Debian's python3 kernelspec (/usr/share/jupyter) for #!connect.
export JUPYTER_PATH="$tmp/ours/share/jupyter:$official" JUPYTER_DATA_DIR="$tmp/data" JUPYTER_RUNTIME_DIR="$tmp/runtime"

for kernel in workbench-csharp .net-csharp; do
  (cd "$tmp" && /usr/bin/python3 "$OLDPWD/scripts/bench/kernels.py" "$kernel" 2>"$tmp/$kernel.err") >"$tmp/$kernel.json" \
    || echo "{\"kernel\": \"$kernel\", \"start\": \"failed: $(tail -n 1 "$tmp/$kernel.err" | tr -d '"\\')\"}" >"$tmp/$kernel.json"
done

/usr/bin/python3 - "$tmp/workbench-csharp.json" "$tmp/.net-csharp.json" <<'PY'
import json, platform, subprocess, sys, datetime
# The official kernel logs to stdout before the result: the JSON is the last line.
ours, official = (json.loads(open(p).read().strip().splitlines()[-1]) for p in sys.argv[1:3])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
load = open("/proc/loadavg").read().split()[:3]
print(f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {cpu}, {subprocess.check_output(['nproc']).decode().strip()} cores, load average {' '.join(load)}")
print()
print("| measure | Workbench kernel | official .NET Interactive 1.0.712001 |")
print("|---|--:|--:|")
rows = ["start", "first C# cell", "later C# cell", "first F# cell", "later F# cell", "Python connect", "later Python cell",
        "10^6 float32 C# -> Python", "10^6 float32 Python -> C#"]
def cell(v):
    return f"{v:.3f} s" if isinstance(v, (int, float)) else (v or "not measured")
for row in rows:
    print(f"| {row} | {cell(ours.get(row))} | {cell(official.get(row))} |")
PY
