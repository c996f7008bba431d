#!/usr/bin/env bash
# CI step: a clone of this commit restores (locked mode) and builds on a machine that has no offline package folder
# and an empty package cache, i.e. from the NuGet registry alone. /opt/nuget is hidden by a tmpfs in a private mount
# namespace (unshare -m), so nothing on this machine changes. Skipped, saying so, where unshare is not permitted.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! unshare -m true 2>/dev/null; then
  echo "fresh-machine check: SKIPPED (unshare -m is not permitted here, so /opt/nuget cannot be hidden)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks . "$work/clone"
mkdir -p "$work/packages"
hide='[ -d /opt/nuget ] && mount -t tmpfs none /opt/nuget; [ ! -e /opt/nuget/packages ] || { echo "/opt/nuget/packages still visible"; exit 1; }'
echo "fresh-machine check: restore + build of a clone with /opt/nuget hidden and an empty NUGET_PACKAGES"
if unshare -m sh -c "$hide && cd '$work/clone' && export NUGET_PACKAGES='$work/packages' CI=true \\
      && dotnet restore Workbench.sln -nologo && dotnet build src/Workbench.Cli -c Release --no-restore -nologo -clp:ErrorsOnly" \
      >"$work/log" 2>&1; then
  echo "fresh-machine check: passed"
else
  echo "fresh-machine check: FAILED" >&2
  tail -n 30 "$work/log" >&2
  exit 1
fi
