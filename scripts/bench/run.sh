#!/usr/bin/env bash
# Speed benchmark: the workbench against its peers — PyTorch (Debian's, /usr/bin/python3), TorchSharp (NuGet
# TorchSharp-cpu 0.107.0, libtorch 2.10) and ONNX Runtime (NuGet 1.32.0, inference only, on the recurrent layers
# exported with torch.onnx.export and checked against PyTorch's output) — on the same models (rnn, gru, lstm, bigru),
# shapes (tiny, small, medium, large), step and tokens/s definition (training step and inference of every model;
# inference = the recurrent layer's forward over the batch). Every peer runs with 2 threads.
#
# How it runs (scripts/bench/compare.py): every case (implementation × model × shape × mode) in its own process,
# one after the other; before each case it waits until the machine is quiet (CPU busy ≤ 15% over 1 s, at most 60 s,
# else the case is flagged "not quiet") and repeats a case during which other processes took > 10% of the CPU.
# Two passes; the report gives the median, the spread of the passes, the ratio to the best peer, the workbench's
# GFLOP/s and % of its GEMM peak (measured in the same run), allocation bytes per step, the CPU model, flags and date,
# and a scaling section (GRU and LSTM training step time vs T 50→400 and vs H 128→1024, workbench and best peer).
# Then skip-gram words/s against gensim (scripts/bench/embeddings.sh; --no-embeddings skips it).
#
# Usage: scripts/bench/run.sh [--models rnn,gru,lstm,bigru] [--shapes tiny,small,medium,large]
#          [--peers pytorch,torchsharp,onnxruntime] [--passes 2] [--reps 5] [--out DIR]
#          [--scaling gru,lstm | --no-scaling] [--scaling-t 50,100,200,400] [--scaling-h 128,256,512,1024]
#          [--quiet-busy 0.15] [--quiet-timeout 60] [--no-embeddings]
# A short run:  scripts/bench/run.sh --models gru --shapes tiny,small --passes 1 --no-scaling --no-embeddings
# Output: the report on stdout and as DIR/report.md, every case in DIR/cases.csv (DIR defaults to a new temp folder).
# The workbench warms each case up until its step time has settled and the JIT is done (src/Workbench.Core/Benchmarks/
# WarmUp.cs; WORKBENCH_WARMUP_TRACE=1 prints every warm-up batch to stderr, and a case that ran out of warm-up time is
# flagged "warm-up not settled"). scripts/bench/warmup_check.sh checks that a cell alone and the same cell inside a
# full `workbench bench` agree within the machine's noise.
#
# TorchSharp on Debian 12 (benchmark-only workaround): libLibTorchSharp.so 0.107.0 was built with GCC 13 and needs
# std::ios_base_library_init@GLIBCXX_3.4.32, which Debian 12's libstdc++ (GCC 12) lacks; nothing else is missing
# (objdump -T on it and on libtorch*.so). This script builds a shim with that one function
# (scripts/bench/torchsharp/glibcxx_shim.cpp), marks that version need weak in the copy of libLibTorchSharp.so in the
# benchmark's own build output (relax_version_need.py; never the NuGet cache) and runs the peer with LD_PRELOAD of
# the shim. If TorchSharp still cannot load, the report says so in one line and the other peers carry on.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

models=rnn,gru,lstm,bigru shapes=tiny,small,medium,large peers=pytorch,torchsharp,onnxruntime passes=2 reps=5 out=""
embeddings=1 scaling=gru,lstm scaling_t=50,100,200,400 scaling_h=128,256,512,1024 quiet_busy=0.15 quiet_timeout=60
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    --peers) peers="$2"; shift 2 ;;
    --passes) passes="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --scaling) scaling="$2"; shift 2 ;;
    --no-scaling) scaling=""; shift ;;
    --scaling-t) scaling_t="$2"; shift 2 ;;
    --scaling-h) scaling_h="$2"; shift 2 ;;
    --quiet-busy) quiet_busy="$2"; shift 2 ;;
    --quiet-timeout) quiet_timeout="$2"; shift 2 ;;
    --no-embeddings) embeddings=0; shift ;;
    *) echo "run.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ]; then out=$(mktemp -d); fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The reference implementations and tools, from Debian (apt needs root; it is only touched when one is missing).
missing=()
for p in python3-torch python3-gensim python3-onnx libopenblas0-pthread g++; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== building the workbench and the peers"
dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
args=(--models "$models" --shapes "$shapes" --passes "$passes" --reps "$reps" --out "$out" --scaling "$scaling"
      --scaling-t "$scaling_t" --scaling-h "$scaling_h" --quiet-busy "$quiet_busy" --quiet-timeout "$quiet_timeout"
      --workbench src/Workbench.Cli/bin/Release/net10.0/workbench.dll)
selected=()
for peer in ${peers//,/ }; do
  case "$peer" in
    pytorch) selected+=(pytorch) ;;
    torchsharp)
      bin=scripts/bench/torchsharp/bin/Release/net10.0
      native=$bin/runtimes/linux-x64/native
      if ! dotnet build scripts/bench/torchsharp -c Release -nologo -clp:ErrorsOnly >"$out/torchsharp-build.log" 2>&1; then
        echo "TorchSharp: build failed (see $out/torchsharp-build.log); left out"; continue
      fi
      # The shim and the relaxed version need (see the header): only in the benchmark's own build output.
      g++ -O2 -shared -fPIC -o "$bin/libglibcxx_shim.so" scripts/bench/torchsharp/glibcxx_shim.cpp
      symbols=$(objdump -T "$native/libLibTorchSharp.so") needs=$(readelf -V "$native/libLibTorchSharp.so")
      if [[ "$symbols" == *GLIBCXX_3.4.32* && "$needs" != *"GLIBCXX_3.4.32  Flags: WEAK"* ]]; then
        /usr/bin/python3 scripts/bench/torchsharp/relax_version_need.py "$native/libLibTorchSharp.so" GLIBCXX_3.4.32
      fi
      if ! check=$(LD_PRELOAD="$PWD/$bin/libglibcxx_shim.so" dotnet "$bin/torchsharp-bench.dll" gru tiny infer 1 2>&1); then
        reason=$(echo "$check" | grep -m1 -- "--->" || echo "$check" | grep -m1 -iE "exception|error" || echo "$check" | tail -1)
        echo "TorchSharp: does not load here (${reason#*---> }); left out"
        continue
      fi
      selected+=(torchsharp)
      args+=(--torchsharp "$bin/torchsharp-bench.dll" --torchsharp-preload "$PWD/$bin/libglibcxx_shim.so")
      args+=(--note "TorchSharp: libLibTorchSharp.so loaded with a GLIBCXX_3.4.32 shim (benchmark-only workaround, see run.sh)") ;;
    onnxruntime)
      if ! dotnet build scripts/bench/onnxruntime -c Release -nologo -clp:ErrorsOnly >"$out/onnxruntime-build.log" 2>&1; then
        echo "ONNX Runtime: build failed (see $out/onnxruntime-build.log); left out"; continue
      fi
      named=$(echo "$shapes" | tr ',' '\n' | grep -xE "tiny|small|medium|large" | tr '\n' ' ')
      if ! /usr/bin/python3 scripts/bench/onnxruntime/export_models.py "$out/onnx" $named >"$out/onnx-export.log" 2>&1; then
        echo "ONNX Runtime: torch.onnx.export failed (see $out/onnx-export.log); left out"; continue
      fi
      selected+=(onnxruntime)
      args+=(--onnxruntime scripts/bench/onnxruntime/bin/Release/net10.0/onnxruntime-bench.dll --onnx-models "$out/onnx") ;;
    *) echo "run.sh: unknown peer '$peer' (choose from pytorch,torchsharp,onnxruntime)" >&2; exit 2 ;;
  esac
done
peers_run=$(IFS=,; echo "${selected[*]:-}")
/usr/bin/python3 scripts/bench/compare.py "${args[@]}" --peers "$peers_run"

if [ "$embeddings" -eq 1 ]; then
  echo
  echo "== word2vec skip-gram: workbench vs gensim (same corpus, same settings)"
  bash scripts/bench/embeddings.sh
fi
