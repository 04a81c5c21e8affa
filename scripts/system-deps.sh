#!/usr/bin/env bash
# Install what pip cannot: Debian's Chromium (+ driver) for browser tests and fonts for Japanese and Hindi.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
fc-list 2>/dev/null | grep -i "IPAGothic" >/dev/null || need+=(fonts-ipafont-gothic)
fc-list 2>/dev/null | grep -i "Lohit Devanagari" >/dev/null || need+=(fonts-lohit-deva)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${need[*]} (run as root: apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
# matplotlib caches the font list; drop it so the new fonts are seen.
rm -rf "${HOME:-/root}/.cache/matplotlib"
