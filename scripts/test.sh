#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what the tests need, builds in Release with
# warnings as errors, runs every test project, and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
source "$(dirname "$0")/sigint-default.sh"
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYDEVD_DISABLE_FILE_VALIDATION=1

source scripts/test-prereqs.sh
bash scripts/fresh-machine-check.sh
dotnet build Workbench.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test Workbench.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# Sum the per-project result lines ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed:' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
rm -f "$log"

# Notebooks: every notebook under notebooks/ is executed with the project's runner into a temporary folder (the
# committed files are never rewritten); each counts as one test. One notebook also runs through Debian's Jupyter
# (nbconvert --execute) with the workbench-csharp kernelspec installed into a temporary prefix.
nb_tmp=$(mktemp -d)
workbench=(dotnet run --project src/Workbench.Cli -c Release --no-build --)
for nb in notebooks/*.ipynb; do
  [ -e "$nb" ] || continue
  if "${workbench[@]}" notebook run "$nb" -o "$nb_tmp/runner" >"$nb_tmp/run.log" 2>&1; then
    echo "notebook passed: $nb"
    passed=$((passed + 1))
  else
    # The runner names the notebook, the cell and the error; drop its per-cell progress lines.
    echo "notebook FAILED: $nb"
    grep -vE '^[^ ]+: cell [0-9]+ \([0-9]+/[0-9]+ code cells\)$' "$nb_tmp/run.log" | sed 's/^/  /' || true
    failed=$((failed + 1))
  fi
done
nbconvert_nb=notebooks/03-gru.ipynb
if [ -e "$nbconvert_nb" ]; then
  if "${workbench[@]}" kernel install --prefix "$nb_tmp/jupyter" >"$nb_tmp/install.log" 2>&1 \
    && (cd "$(dirname "$nbconvert_nb")" && JUPYTER_PATH="$nb_tmp/jupyter/share/jupyter" /usr/bin/jupyter nbconvert --to notebook --execute \
          --ExecutePreprocessor.timeout=600 --output-dir "$nb_tmp/nbconvert" "$(basename "$nbconvert_nb")") >"$nb_tmp/nbconvert.log" 2>&1; then
    echo "notebook passed (jupyter nbconvert, workbench-csharp kernel): $nbconvert_nb"
    passed=$((passed + 1))
  else
    echo "notebook FAILED (jupyter nbconvert, workbench-csharp kernel): $nbconvert_nb"
    cat "$nb_tmp/install.log" "$nb_tmp/nbconvert.log" 2>/dev/null | tail -n 40 | sed 's/^/  /' || true
    failed=$((failed + 1))
  fi
fi

# Workbench.Core and the Workbench.Cli tool pack (README, license, repository, version; warnings are errors) into artifacts/packages.
if ! bash scripts/pack.sh >"$nb_tmp/pack.log" 2>&1; then
  echo "FAILED: scripts/pack.sh"
  sed 's/^/  /' "$nb_tmp/pack.log"
  failed=$((failed + 1))
fi

# The same notebooks under the official .NET Interactive kernel (.net-csharp) through nbconvert, one kernel per
# notebook: any error output fails the notebook, and so does a printed result that differs from the runner's run
# above (timings aside; scripts/compare_notebook_outputs.py). Each counts as one test.
if [ -n "${DOTNET_INTERACTIVE_JUPYTER_PATH:-}" ]; then
  for nb in notebooks/*.ipynb; do
    [ -e "$nb" ] || continue
    out="$nb_tmp/official/$(basename "$nb")"
    rm -f "$nb_tmp/errors.log"
    if (cd "$(dirname "$nb")" && JUPYTER_PATH="$DOTNET_INTERACTIVE_JUPYTER_PATH" /usr/bin/jupyter nbconvert --to notebook --execute \
          --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=900 --allow-errors \
          --output-dir "$nb_tmp/official" "$(basename "$nb")") >"$nb_tmp/official.log" 2>&1 \
       && /usr/bin/python3 scripts/notebook_errors.py "$out" >"$nb_tmp/errors.log" 2>&1 \
       && /usr/bin/python3 scripts/compare_notebook_outputs.py "$nb_tmp/runner/$(basename "$nb")" "$out" >"$nb_tmp/errors.log" 2>&1; then
      echo "notebook passed (jupyter nbconvert, official .net-csharp kernel, same printed results as the runner): $nb"
      passed=$((passed + 1))
    else
      echo "notebook FAILED (jupyter nbconvert, official .net-csharp kernel): $nb"
      sed 's/^/  /' "$nb_tmp/errors.log" 2>/dev/null || true
      tail -n 20 "$nb_tmp/official.log" | sed 's/^/  /' || true
      failed=$((failed + 1))
    fi
  done
fi
rm -rf "$nb_tmp"

echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
