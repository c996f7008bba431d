#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/stress-tests.sh so that both run the suite with the same oracles present:
# installs what the tests need and exports where the official kernel is (or why it is not).
bash scripts/install-deps.sh
# The official .NET Interactive kernel, the oracle of the compatibility tests (Workbench.Kernel.Tests, Oracle/). The
# tests skip, saying why, only when it cannot be installed (DOTNET_INTERACTIVE_UNAVAILABLE).
official_err=$(mktemp)
if official=$(bash scripts/install-official-kernel.sh 2>"$official_err"); then
  export "$(grep '^DOTNET_INTERACTIVE_JUPYTER_PATH=' <<<"$official")"
else
  export DOTNET_INTERACTIVE_UNAVAILABLE="$(tr '\n' ' ' <"$official_err")"
  echo "official .NET Interactive kernel unavailable: $DOTNET_INTERACTIVE_UNAVAILABLE"
fi
rm -f "$official_err"
# Debian's slurm-wlm and munge, for the sweep-on-Slurm test (Workbench.Cli.Tests, Clusters/): it starts its own
# one-node cluster, and skips, saying why, only when they cannot be installed (WORKBENCH_SLURM_UNAVAILABLE).
slurm_err=$(mktemp)
if ! bash scripts/slurm/cluster.sh install 2>"$slurm_err" >/dev/null; then
  export WORKBENCH_SLURM_UNAVAILABLE="slurm-wlm and munge could not be installed: $(tail -n 3 "$slurm_err" | tr '\n' ' ')"
  echo "$WORKBENCH_SLURM_UNAVAILABLE"
fi
rm -f "$slurm_err"
