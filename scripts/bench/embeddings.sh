#!/usr/bin/env bash
# Benchmark (not a test): skip-gram training speed of `workbench embeddings train` against gensim 4.2
# (Debian's /usr/bin/python3, workers=2) on the same corpus with the same settings; prints words/s of both and
# the ratio, then each model's analogy accuracy. Words/s = in-vocabulary corpus words × epochs / training seconds
# (vocabulary building excluded on both sides).
#
#   bash scripts/bench/embeddings.sh [CORPUS]      (env: DIM WINDOW NEGATIVE MIN_COUNT EPOCHS THREADS SEED)
#
# Default corpus: ../shared/data/text8.first12549837chars.txt beside the repository when present, else the shipped
# data/embeddings/royal-corpus.txt. With ../shared/data/glove.6B.50d.top17664.txt present, it also evaluates those
# GloVe vectors with gensim's and our evaluation (the totals must be equal).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

shared=../shared/data
corpus=${1:-}
if [ -z "$corpus" ]; then
  if [ -f "$shared/text8.first12549837chars.txt" ]; then corpus=$shared/text8.first12549837chars.txt
  else corpus=data/embeddings/royal-corpus.txt; fi
fi
DIM=${DIM:-100} WINDOW=${WINDOW:-5} NEGATIVE=${NEGATIVE:-5} MIN_COUNT=${MIN_COUNT:-5} EPOCHS=${EPOCHS:-3} THREADS=${THREADS:-2} SEED=${SEED:-1}
questions=$shared/questions-words.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "corpus $corpus: dim $DIM, window $WINDOW, negative $NEGATIVE, min-count $MIN_COUNT, epochs $EPOCHS, threads $THREADS"
dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
workbench=src/Workbench.Cli/bin/Release/net10.0/workbench

ours=$("$workbench" embeddings train --corpus "$corpus" --out "$work/ours.txt" --sg --dim "$DIM" --window "$WINDOW" \
  --negative "$NEGATIVE" --min-count "$MIN_COUNT" --epochs "$EPOCHS" --threads "$THREADS" --seed "$SEED" | grep '^vocabulary')
echo "workbench: $ours"
theirs=$(/usr/bin/python3 scripts/bench/embeddings_gensim.py train "$corpus" "$work/gensim.txt" "$DIM" "$WINDOW" "$NEGATIVE" \
  "$MIN_COUNT" "$EPOCHS" "$THREADS" "$SEED" 2>/dev/null | grep '^gensim')
echo "$theirs"
ours_wps=$(sed -E 's/.* ([0-9.]+) words\/s.*/\1/' <<<"$ours")
theirs_wps=$(sed -E 's/.* ([0-9.]+) words\/s.*/\1/' <<<"$theirs")
awk -v a="$ours_wps" -v b="$theirs_wps" 'BEGIN { printf "words/s: workbench %.0f, gensim %.0f, ratio workbench/gensim %.2f\n", a, b, a / b }'

if [ -f "$questions" ]; then
  echo "analogy accuracy of the two trained models (restrict 30000):"
  "$workbench" embeddings eval --vectors "$work/ours.txt" --analogies "$questions" --restrict 30000 | grep '^Total' | sed 's/^/  workbench model: /'
  "$workbench" embeddings eval --vectors "$work/gensim.txt" --analogies "$questions" --restrict 30000 | grep '^Total' | sed 's/^/  gensim model:    /'
fi
glove=$shared/glove.6B.50d.top17664.txt
if [ -f "$glove" ] && [ -f "$questions" ]; then
  echo "evaluation of $glove (restrict 30000), gensim vs workbench:"
  /usr/bin/python3 scripts/bench/embeddings_gensim.py eval "$glove" "$questions" 30000 "$shared/wordsim353.tsv" 2>/dev/null | grep -E 'Total accuracy: [0-9]+/|pairs' | sed 's/^/  /'
  "$workbench" embeddings eval --vectors "$glove" --analogies "$questions" --similarity "$shared/wordsim353.tsv" --restrict 30000 | grep -E '^Total|^Word pairs' | sed 's/^/  workbench /'
fi
