#!/usr/bin/env bash
# Installs what the web tests need from Debian, only when missing: promtool (package prometheus:
# the metrics tests check /metrics with Prometheus' own parser) and Chromium with its WebDriver
# (the dashboard is tested in a real headless browser). Idempotent; needs root or passwordless
# sudo when something is missing (CI runs as root). Prints nothing on stdout.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "web tools: need root to install ${need[*]} (apt-get install ${need[*]})" >&2; exit 1; }
  sudo="sudo -n"
fi
echo "web tools: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# prometheus pulls in a service; nothing is started in a container without systemd
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
command -v promtool >/dev/null && command -v chromium >/dev/null && command -v chromedriver >/dev/null \
  || { echo "web tools: installation of ${need[*]} failed" >&2; exit 1; }
