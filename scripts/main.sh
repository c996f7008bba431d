#!/usr/bin/env bash
# The project's main job (README): trains a small model on the data the project ships and prints the loss falling.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project src/Workbench.Cli -c Release -- demo "$@"
