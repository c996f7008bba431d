#!/usr/bin/env bash
# Speed benchmark: runs `workbench bench` and the PyTorch script on the same models and shapes, one after
# the other (never at the same time: they would fight over the cores), then prints tokens/s side by side with the
# ratio ours / PyTorch per cell.
# Then, in the same report, skip-gram training words/s against gensim on the same corpus and settings
# (scripts/bench/embeddings.sh; --no-embeddings skips it). Installs Debian's python3-torch and python3-gensim if missing.
# Usage: scripts/bench/run.sh [--models rnn,gru,lstm,bigru] [--shapes tiny,small,medium,large] [--reps N] [--out DIR] [--no-embeddings]
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

models=rnn,gru,lstm,bigru shapes=tiny,small,medium,large reps=5 out="" embeddings=1
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-embeddings) embeddings=0; shift ;;
    *) echo "run.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ]; then out=$(mktemp -d); fi
mkdir -p "$out"

# The reference implementations, from Debian (apt needs root; it is only touched when one is missing).
missing=()
for p in python3-torch python3-gensim libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
echo "== workbench (C#)"
dotnet src/Workbench.Cli/bin/Release/net10.0/workbench.dll bench --models "$models" --shapes "$shapes" --reps "$reps" --csv "$out/workbench.csv"

echo
echo "== PyTorch (Debian /usr/bin/python3, 2 threads, OMP_WAIT_POLICY=PASSIVE)"
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/bench/pytorch_bench.py --models "$models" --shapes "$shapes" --reps "$reps" \
  --threads 2 --csv "$out/pytorch.csv"

echo
/usr/bin/python3 - "$out/workbench.csv" "$out/pytorch.csv" <<'PY'
import csv, sys
def load(path):
    with open(path) as handle:
        return {(r["model"], r["shape"], r["mode"]): r for r in csv.DictReader(handle)}
ours, torch = load(sys.argv[1]), load(sys.argv[2])
print("| model | shape | mode | workbench tokens/s | PyTorch tokens/s | ratio | workbench GFLOP/s | alloc bytes/step |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for key, row in ours.items():
    other = torch.get(key)
    theirs = float(other["tokens_per_s"]) if other else float("nan")
    mine = float(row["tokens_per_s"])
    print(f"| {key[0]} | {key[1]} | {key[2]} | {mine:,.0f} | {theirs:,.0f} | {mine / theirs:.2f}× | "
          f"{float(row['gflops']):.1f} | {int(row['allocs_per_step']):,} |")
PY
echo
echo "CSV files: $out/workbench.csv $out/pytorch.csv"

if [ "$embeddings" -eq 1 ]; then
  echo
  echo "== word2vec skip-gram: workbench vs gensim (same corpus, same settings)"
  bash scripts/bench/embeddings.sh
fi
