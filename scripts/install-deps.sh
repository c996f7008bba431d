#!/usr/bin/env bash
# Installs the Debian packages that the tests and notebooks use as real clients and reference oracles.
# Idempotent: apt is only touched when something is missing. Needs root (CI runs as root). Recommended packages
# come along (fonts for Chromium's chart images, among others), as on the machines the tests were proven on.
set -euo pipefail

packages=(
  jupyter-client python3-nbclient jupyter-nbconvert jupyter-notebook python3-ipykernel python3-zmq  # real Jupyter clients
  chromium                                                                                        # renders exported HTML and static chart images
  python3-torch python3-numpy                                                                     # the PyTorch reference of notebook 03a
  libopenblas0-pthread                                                                            # optional native BLAS for the fast path
  stress-ng                                                                                       # CPU hog for scripts/stress-tests.sh
  python3-onnx                                                                                    # ONNX's checker for the exported files (Workbench.Onnx.Tests)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "install-deps: done"
