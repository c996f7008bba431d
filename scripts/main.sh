#!/usr/bin/env bash
# The project's main job (README), on the data the project ships:
#  1. a short training demo that prints the loss falling, then samples text;
#  2. Workbench.Core packed into artifacts/packages (scripts/pack.sh), as the notebooks load it;
#  3. every tutorial notebook executed afresh by the project's runner (artifacts/notebooks/), each also exported
#     as one standalone HTML page that reads with no network (artifacts/html/).
# Arguments are passed to the demo (e.g. --steps 500).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build src/Workbench.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
workbench=(dotnet src/Workbench.Cli/bin/Release/net10.0/workbench.dll)

"${workbench[@]}" demo "$@"

echo
echo "== Workbench.Core packed into artifacts/packages (what the notebooks load with #r \"nuget: Workbench.Core, *-*\")"
bash scripts/pack.sh

echo
echo "== the tutorial notebooks, executed into artifacts/notebooks and exported to artifacts/html"
mkdir -p artifacts/notebooks artifacts/html
"${workbench[@]}" notebook run notebooks/*.ipynb -o artifacts/notebooks
for nb in artifacts/notebooks/*.ipynb; do
  "${workbench[@]}" notebook export "$nb" --to html -o "artifacts/html/$(basename "${nb%.ipynb}").html"
done
echo "open artifacts/html/01-rnn.html (and the others) in a browser; notebooks/README.md gives the reading order"
