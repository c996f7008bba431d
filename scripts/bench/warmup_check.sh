#!/usr/bin/env bash
# Checks the benchmark's warm-up end to end: a cell measured alone in a fresh process must agree, within the machine's
# noise, with the same cell measured inside a full run (every model, and every shape up to the cell's: all that runs
# before it in `workbench bench`). Alternates the two, N times each; the noise is the spread (max − min) / median of
# the repeated measurements of either kind, and the check fails when the medians differ by more than the larger spread
# (at least 5%). Not a unit test: it takes minutes and wants a quiet machine.
# Usage: scripts/bench/warmup_check.sh [--cells rnn:tiny:train,gru:small:train,gru:small:infer] [--runs 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
cells=rnn:tiny:train,gru:small:train,gru:small:infer runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --cells) cells="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "warmup_check.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
workbench=(dotnet src/Workbench.Cli/bin/Release/net10.0/workbench.dll bench --reps 5)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for cell in ${cells//,/ }; do
  IFS=: read -r model shape mode <<<"$cell"
  prefix=$(echo tiny,small,medium,large | sed "s/\(.*$shape\).*/\1/")
  : >"$work/alone" ; : >"$work/inside"
  for ((i = 1; i <= runs; i++)); do
    "${workbench[@]}" --models "$model" --shapes "$shape" --modes "$mode" --csv "$work/a.csv" >/dev/null
    grep "^$model,$shape,$mode," "$work/a.csv" | cut -d, -f4 >>"$work/alone"
    "${workbench[@]}" --shapes "$prefix" --csv "$work/b.csv" >/dev/null
    grep "^$model,$shape,$mode," "$work/b.csv" | cut -d, -f4 >>"$work/inside"
  done
  /usr/bin/python3 - "$cell" "$work/alone" "$work/inside" <<'PY' || status=1
import statistics, sys
cell, alone, inside = sys.argv[1], [float(v) for v in open(sys.argv[2])], [float(v) for v in open(sys.argv[3])]
def spread(v): return (max(v) - min(v)) / statistics.median(v)
a, b = statistics.median(alone), statistics.median(inside)
noise = max(spread(alone), spread(inside), 0.05)
difference = abs(a - b) / min(a, b)
verdict = "agree" if difference <= noise else "DISAGREE"
print(f"{cell}: alone {a:,.0f} tokens/s (spread {100 * spread(alone):.0f}%), inside a full run {b:,.0f} "
      f"(spread {100 * spread(inside):.0f}%): differ by {100 * difference:.0f}%, noise {100 * noise:.0f}% -> {verdict}")
sys.exit(0 if verdict == "agree" else 1)
PY
done
exit $status
