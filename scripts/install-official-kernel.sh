#!/usr/bin/env bash
# Installs the official .NET Interactive kernel (the reference implementation the compatibility tests compare
# against) as a .NET tool into a cache folder, and registers its Jupyter kernelspecs (.net-csharp, .net-fsharp, ...)
# under that folder. Idempotent: when the pinned version is already there it only prints the paths.
#
#   bash scripts/install-official-kernel.sh      # prints  DOTNET_INTERACTIVE_TOOL=<dir> and
#                                                #         DOTNET_INTERACTIVE_JUPYTER_PATH=<dir>  (eval-able)
#
# The folder is $DOTNET_INTERACTIVE_HOME, else $XDG_CACHE_HOME/workbench/dotnet-interactive-<version>, else
# ~/.cache/workbench/dotnet-interactive-<version>. Tests find the kernelspecs through DOTNET_INTERACTIVE_JUPYTER_PATH
# (a JUPYTER_PATH entry). Exit code 1, with the reason on stderr, when the tool cannot be installed (no registry).
set -euo pipefail
version=1.0.712001
home=${DOTNET_INTERACTIVE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/workbench/dotnet-interactive-$version}
tool="$home/tool"
kernels="$home/jupyter"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

installed() {
  [ -x "$tool/dotnet-interactive" ] && "$tool/dotnet-interactive" --version 2>/dev/null | grep -q "^${version%.*}"
}

if ! installed; then
  mkdir -p "$home"
  rm -rf "$tool"
  if ! log=$(dotnet tool install --tool-path "$tool" Microsoft.dotnet-interactive --version "$version" 2>&1); then
    echo "install-official-kernel: dotnet tool install Microsoft.dotnet-interactive $version failed:" >&2
    echo "$log" | tail -n 5 >&2
    exit 1
  fi
fi

# `jupyter install --path` writes the kernelspecs (.net-csharp, .net-fsharp, .net-powershell) straight into the given
# folder, so it is given <jupyter>/kernels. Their argv starts "dotnet interactive", which finds the tool only on
# PATH; it is rewritten to the tool's absolute path so that Jupyter needs nothing but JUPYTER_PATH.
spec="$kernels/kernels/.net-csharp/kernel.json"
if ! grep -qs "\"$tool/dotnet-interactive\"" "$spec"; then
  rm -rf "$kernels"
  mkdir -p "$kernels/kernels"
  if ! log=$(PATH="$tool:$PATH" "$tool/dotnet-interactive" jupyter install --path "$kernels/kernels" 2>&1); then
    echo "install-official-kernel: dotnet-interactive jupyter install failed:" >&2
    echo "$log" | tail -n 5 >&2
    exit 1
  fi
  for json in "$kernels"/kernels/.net-*/kernel.json; do
    /usr/bin/python3 - "$json" "$tool/dotnet-interactive" <<'PY'
import json, sys
path, tool = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
assert spec["argv"][:2] == ["dotnet", "interactive"], spec["argv"]
spec["argv"] = [tool] + spec["argv"][2:]
json.dump(spec, open(path, "w"), indent=2)
PY
  done
fi
[ -f "$spec" ] && grep -qs "\"$tool/dotnet-interactive\"" "$spec" \
  || { echo "install-official-kernel: no usable .net-csharp kernelspec under $kernels" >&2; exit 1; }

# The python3 kernel that the official kernel's `#!connect jupyter --kernel-spec python3` starts in these runs:
# Debian's ipykernel behind a launcher that waits for iopub's subscriber before serving (the official client's
# slow-joiner race; see the launcher). Rewritten every time, so a changed launcher takes effect at once.
launcher_dir="$home/python3-kernel"
mkdir -p "$launcher_dir" "$kernels/kernels/python3"
cp "$(dirname "$0")/oracle/ipykernel_after_subscriber.py" "$launcher_dir/"
cat >"$kernels/kernels/python3/kernel.json" <<JSON
{
  "argv": ["/usr/bin/python3", "$launcher_dir/ipykernel_after_subscriber.py", "-f", "{connection_file}"],
  "display_name": "Python 3 (ipykernel, waits for its iopub subscriber)",
  "language": "python"
}
JSON

echo "DOTNET_INTERACTIVE_TOOL=$tool"
echo "DOTNET_INTERACTIVE_JUPYTER_PATH=$kernels"
