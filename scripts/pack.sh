#!/usr/bin/env bash
# Packs the libraries notebooks load into artifacts/packages (ignored by git): Workbench.Core as
# 0.1.0-dev.<UTC yyyyMMddHHmmss>, so every pack is newer than the last and `#r "nuget: Workbench.Core, *-*"` picks
# up a rebuild. Warnings are errors, as in every build. Prints the package path.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=artifacts/packages
mkdir -p "$out"
suffix="dev.$(date -u +%Y%m%d%H%M%S)"
repository=()
if url=$(git remote get-url origin 2>/dev/null); then repository+=("-p:RepositoryUrl=$url"); fi
if commit=$(git rev-parse HEAD 2>/dev/null); then repository+=("-p:RepositoryCommit=$commit"); fi
dotnet pack src/Workbench.Core -c Release -nologo -clp:ErrorsOnly --version-suffix "$suffix" -o "$out" "${repository[@]}"
ls "$out/Workbench.Core.0.1.0-$suffix.nupkg"
