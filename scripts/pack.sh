#!/usr/bin/env bash
# Packs into artifacts/packages (ignored by git), or into OUT:
#   bash scripts/pack.sh [--no-build] [OUT]
#  - Workbench.Core, the library notebooks load, with its XML docs, README, license and a symbol package (.snupkg);
#  - Workbench.Cli, the `workbench` command as a .NET tool (`dotnet tool install --add-source OUT Workbench.Cli`).
# Both get the version 0.1.0-dev.<UTC yyyyMMddHHmmss>, so every pack is newer than the last and
# `#r "nuget: Workbench.Core, *-*"` picks up a rebuild. Warnings are errors, as in every build. --no-build packs what
# the last Release build left. Prints the package paths.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build=()
if [ "${1:-}" = "--no-build" ]; then build=(--no-build); shift; fi
out=${1:-artifacts/packages}
mkdir -p "$out"
suffix="dev.$(date -u +%Y%m%d%H%M%S)"
repository=()
if url=$(git remote get-url origin 2>/dev/null); then repository+=("-p:RepositoryUrl=$url"); fi
if commit=$(git rev-parse HEAD 2>/dev/null); then repository+=("-p:RepositoryCommit=$commit"); fi
for project in Workbench.Core Workbench.Cli; do
  dotnet pack "src/$project" -c Release -nologo -clp:ErrorsOnly "${build[@]}" --version-suffix "$suffix" -o "$out" "${repository[@]}"
done
ls "$out/Workbench.Core.0.1.0-$suffix.nupkg" "$out/Workbench.Core.0.1.0-$suffix.snupkg" "$out/Workbench.Cli.0.1.0-$suffix.nupkg"
