#!/usr/bin/env bash
# Python from the workbench's polyglot notebooks: how long #!python takes to start its kernel (python3 kernelspec),
# and how long a 10^6-element float32 array takes to cross C# -> Python and Python -> C# (#!set). Runs one notebook
# through `workbench notebook run` (build first: dotnet build src/Workbench.Cli -c Release). Prints one line each.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp/polyglot.ipynb" <<'PY'
import json, sys
cells = [
    "var sw = System.Diagnostics.Stopwatch.StartNew();\n#!python\npass\n#!csharp\n"
    "Console.WriteLine($\"workbench: python kernel connect (first #!python cell): {sw.Elapsed.TotalSeconds:F3} s\");",
    "var big = new float[1_000_000];\nfor (var i = 0; i < big.Length; i++) big[i] = i * 0.5f;\nsw.Restart();\n"
    "#!python\n#!set --name big --value @csharp:big\n#!csharp\n"
    "Console.WriteLine($\"workbench: 10^6 float32 C# -> Python: {sw.Elapsed.TotalMilliseconds:F0} ms\");\nsw.Restart();\n"
    "#!set --name back --value @python:big\n"
    "Console.WriteLine($\"workbench: 10^6 float32 Python -> C#: {sw.Elapsed.TotalMilliseconds:F0} ms (equal: {back.AsSpan().SequenceEqual(big)})\");",
]
nb = {"nbformat": 4, "nbformat_minor": 5,
      "metadata": {"kernelspec": {"name": "workbench-csharp", "display_name": "C# (Workbench)", "language": "csharp"}},
      "cells": [{"cell_type": "code", "id": f"c{i}", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
                for i, s in enumerate(cells)]}
json.dump(nb, open(sys.argv[1], "w"))
PY

dotnet run --project src/Workbench.Cli -c Release --no-build -- notebook run "$tmp/polyglot.ipynb" -o "$tmp/out" >/dev/null
/usr/bin/python3 - "$tmp/out/polyglot.ipynb" <<'PY'
import json, sys
for cell in json.load(open(sys.argv[1]))["cells"]:
    for o in cell["outputs"]:
        if o.get("output_type") == "stream":
            print("".join(o["text"]), end="")
PY
# The official .NET Interactive (#!connect jupyter --kernel-name python --kernel-spec python3) on the same steps:
# measured by the oracle helper; fill in here.
echo "official dotnet-interactive: python connect: (not measured here)"
echo "official dotnet-interactive: 10^6 float32 C# -> Python: (not measured here)"
echo "official dotnet-interactive: 10^6 float32 Python -> C#: (not measured here)"
