#!/usr/bin/env bash
# The project's main job (README), on the data the project ships:
#  1. a short training demo that prints the loss falling, then samples text;
#  2. Workbench.Core and the Workbench.Cli tool packed into artifacts/packages (scripts/pack.sh), for projects that
#     reference the core as a package and for `dotnet tool install`;
#  3. every tutorial notebook executed afresh by the project's runner (artifacts/notebooks/), each also exported
#     as one standalone HTML page that reads with no network (artifacts/html/).
# Arguments are passed to the demo (e.g. --steps 500).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# A first build restores packages from the registry and compiles everything: say so, and show its errors if it fails
# (its full log is kept only then).
echo "== building the command line (Release; the first build restores packages and takes a minute or two)"
build_log=$(mktemp)
start=$SECONDS
# The notebooks reference the core and the chart helpers as built here (src/*/bin/Release), as both kernels can.
if ! { dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly && dotnet build src/Workbench.Plotting -c Release -nologo -clp:ErrorsOnly; } >"$build_log" 2>&1; then
  echo "main: the build failed:" >&2
  grep -E 'error|Error' "$build_log" | sort -u >&2 || cat "$build_log" >&2
  echo "main: full build log: $build_log" >&2
  exit 1
fi
rm -f "$build_log"
echo "   built in $((SECONDS - start)) s"
workbench=(dotnet src/Workbench.Cli/bin/Release/net10.0/workbench.dll)

echo "== the demo: a character-level GRU on the shipped text"
"${workbench[@]}" demo "$@"

echo
echo "== Workbench.Core and the Workbench.Cli tool packed into artifacts/packages (for package references and dotnet tool install)"
bash scripts/pack.sh

echo
echo "== the tutorial notebooks, executed into artifacts/notebooks and exported to artifacts/html"
mkdir -p artifacts/notebooks artifacts/html
"${workbench[@]}" notebook run notebooks/*.ipynb -o artifacts/notebooks
for nb in artifacts/notebooks/*.ipynb; do
  "${workbench[@]}" notebook export "$nb" --to html -o "artifacts/html/$(basename "${nb%.ipynb}").html"
done
echo "open artifacts/html/01-rnn.html (and the others) in a browser; notebooks/README.md gives the reading order"
