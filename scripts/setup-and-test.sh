#!/usr/bin/env bash
# Sets up a fresh machine and runs the tests: installs the Debian packages
# whose programs the tests run (promtool, amtool, Prometheus, Alertmanager,
# the exporters, VictoriaMetrics, Python's Prometheus client, shellcheck) when any is
# missing, saying which, then `npm ci` and `npm test`.
# `npm run setup-and-test` runs it; so does `.ci/run`.
set -euo pipefail
cd "$(dirname "$0")/.."

# tests/debian-tools.ts names the package of every program a test runs.
DEBIAN_PACKAGES=(prometheus prometheus-alertmanager prometheus-node-exporter prometheus-blackbox-exporter victoria-metrics python3 python3-prometheus-client shellcheck procps busybox)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
if command -v dpkg-query >/dev/null; then
    for p in "${DEBIAN_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
fi
if ((${#missing[@]} > 0)); then
    if ! command -v apt-get >/dev/null; then
        echo "The tests need the Debian packages ${missing[*]}, and this machine has no apt-get." >&2
        exit 1
    fi
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    echo "Installing the Debian packages the tests run: ${missing[*]}${sudo:+ (with sudo)}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
elif ! command -v dpkg-query >/dev/null; then
    echo "Not a Debian system: the tests need promtool, amtool, prometheus, prometheus-alertmanager and prometheus-node-exporter on PATH (a missing one fails its tests naming the package)."
else
    echo "The Debian packages the tests run are installed: ${DEBIAN_PACKAGES[*]}"
fi

echo "npm ci && npm test"
npm ci
npm test
