#!/usr/bin/env bash
# Installs what spotifymon needs on a fresh Debian machine, idempotently:
#   scripts/setup.sh            system packages + Python test packages
#   scripts/setup.sh eval       ... plus the peer libraries for evaluation and benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

# System packages: OpenBLAS + LAPACKE (linear algebra), Go (cgo binding tests), and the
# Prometheus and Alertmanager servers that the examples' stack test starts on loopback.
need=()
for pkg in libopenblas-dev liblapacke-dev golang-go prometheus prometheus-alertmanager; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Python packages.
req=requirements-test.txt
[ "${1:-}" = eval ] && req=requirements-eval.txt
if ! python3 scripts/requirements_met.py "$req"; then
  echo "setup: pip install -r $req"
  python3 -m pip install -q --disable-pip-version-check -r "$req"
fi
