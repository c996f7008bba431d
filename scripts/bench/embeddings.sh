#!/usr/bin/env bash
# Benchmark (not a test): word2vec training speed and analogy accuracy of `workbench embeddings train` against gensim
# 4.2 (Debian's /usr/bin/python3, same number of workers) on the same corpus with the same settings, for skip-gram and
# CBOW (negative sampling), over several seeds. Every training run is its own process; runs go one after the other,
# never at the same time, and alternate between the two implementations (ours first for odd runs, gensim first for
# even ones) so that a change in the machine's load falls on both. Prints each run, then per architecture the median
# words/s with min–max, the ratio of the medians, and the analogy accuracy (mean ± sd, min–max) of the trained models.
# Words/s = in-vocabulary corpus words × epochs / training seconds (vocabulary building excluded on both sides).
#
#   bash scripts/bench/embeddings.sh [CORPUS]
#   env: ARCHS ("sg cbow") SEEDS ("1 2 3") DIM WINDOW NEGATIVE MIN_COUNT EPOCHS THREADS
#
# Default corpus: ../shared/data/text8.first12549837chars.txt beside the repository (or beside the main checkout of
# a worktree) when present, else the shipped
# data/embeddings/royal-corpus.txt. Accuracy is measured on ../shared/data/questions-words.txt (restrict 30000) when
# present, by our evaluator for both models. With ../shared/data/glove.6B.50d.top17664.txt present, it also
# evaluates those GloVe vectors with gensim's and our evaluation (the totals must be equal).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

shared=../shared/data
# In a git worktree, ../shared is beside the main checkout rather than beside this one.
if [ ! -d "$shared" ] && common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
  shared=$(dirname "$common")/../shared/data
fi
corpus=${1:-}
if [ -z "$corpus" ]; then
  if [ -f "$shared/text8.first12549837chars.txt" ]; then corpus=$shared/text8.first12549837chars.txt
  else corpus=data/embeddings/royal-corpus.txt; fi
fi
ARCHS=${ARCHS:-"sg cbow"} SEEDS=${SEEDS:-"1 2 3"}
DIM=${DIM:-100} WINDOW=${WINDOW:-5} NEGATIVE=${NEGATIVE:-5} MIN_COUNT=${MIN_COUNT:-5} EPOCHS=${EPOCHS:-3} THREADS=${THREADS:-2}
questions=$shared/questions-words.txt
if ! /usr/bin/python3 -c 'import gensim' 2>/dev/null; then
  echo "embeddings.sh: gensim is missing for /usr/bin/python3; install Debian's python3-gensim (scripts/install-deps.sh)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "corpus $corpus: dim $DIM, window $WINDOW, negative $NEGATIVE, min-count $MIN_COUNT, epochs $EPOCHS, threads $THREADS, seeds $SEEDS"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
workbench=src/Workbench.Cli/bin/Release/net10.0/workbench

# accuracy VECTORS -> "correct total" (0 0 without the analogy set)
accuracy() {
  if [ -f "$questions" ]; then
    "$workbench" embeddings eval --vectors "$1" --analogies "$questions" --restrict 30000 | sed -nE 's/^Total accuracy: .*\(([0-9]+)\/([0-9]+)\).*/\1 \2/p'
  else echo "0 0"; fi
}
ours() { # ARCH SEED
  local line
  line=$("$workbench" embeddings train --corpus "$corpus" --out "$work/ours.txt" "--$1" --dim "$DIM" --window "$WINDOW" \
    --negative "$NEGATIVE" --min-count "$MIN_COUNT" --epochs "$EPOCHS" --threads "$THREADS" --seed "$2" | grep '^vocabulary')
  echo "$1 workbench $2 $(sed -E 's/.* ([0-9.]+) words\/s.*/\1/' <<<"$line") $(accuracy "$work/ours.txt")" >>"$work/runs"
  echo "  $1 seed $2 workbench: $line"
}
gensim() { # ARCH SEED
  local line
  line=$(/usr/bin/python3 scripts/bench/embeddings_gensim.py train "$corpus" "$work/gensim.txt" "$DIM" "$WINDOW" "$NEGATIVE" \
    "$MIN_COUNT" "$EPOCHS" "$THREADS" "$2" "$1" 2>/dev/null | grep '^gensim')
  echo "$1 gensim $2 $(sed -E 's/.* ([0-9.]+) words\/s.*/\1/' <<<"$line") $(accuracy "$work/gensim.txt")" >>"$work/runs"
  echo "  $1 seed $2 $line"
}

: >"$work/runs"
run=0
for arch in $ARCHS; do
  for seed in $SEEDS; do
    run=$((run + 1))
    if [ $((run % 2)) -eq 1 ]; then ours "$arch" "$seed"; gensim "$arch" "$seed"
    else gensim "$arch" "$seed"; ours "$arch" "$seed"; fi
  done
done

echo
/usr/bin/python3 - "$work/runs" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
print("| architecture | implementation | words/s median (min–max) | analogy accuracy mean ± sd (min–max) | runs |")
print("|---|---|--:|--:|--:|")
medians = {}
for arch in dict.fromkeys(r[0] for r in rows):
    for tool in ("workbench", "gensim"):
        mine = [r for r in rows if r[0] == arch and r[1] == tool]
        if not mine:
            continue
        wps = [float(r[3]) for r in mine]
        acc = [100 * int(r[4]) / int(r[5]) if int(r[5]) else float("nan") for r in mine]
        medians[arch, tool] = statistics.median(wps)
        sd = statistics.stdev(acc) if len(acc) > 1 else 0.0
        print(f"| {arch} | {tool} | {statistics.median(wps):,.0f} ({min(wps):,.0f}–{max(wps):,.0f}) | "
              f"{statistics.mean(acc):.2f} % ± {sd:.2f} ({min(acc):.2f}–{max(acc):.2f}) | {len(mine)} |")
for arch in dict.fromkeys(r[0] for r in rows):
    if (arch, "workbench") in medians and (arch, "gensim") in medians:
        print(f"{arch}: median words/s ratio workbench/gensim {medians[arch, 'workbench'] / medians[arch, 'gensim']:.2f}")
PY

glove=$shared/glove.6B.50d.top17664.txt
if [ -f "$glove" ] && [ -f "$questions" ]; then
  echo
  echo "evaluation of $glove (restrict 30000), gensim vs workbench:"
  /usr/bin/python3 scripts/bench/embeddings_gensim.py eval "$glove" "$questions" 30000 "$shared/wordsim353.tsv" 2>/dev/null | grep -E 'Total accuracy: [0-9]+/|pairs' | sed 's/^/  /'
  "$workbench" embeddings eval --vectors "$glove" --analogies "$questions" --similarity "$shared/wordsim353.tsv" --restrict 30000 | grep -E '^Total|^Word pairs' | sed 's/^/  workbench /'
fi
