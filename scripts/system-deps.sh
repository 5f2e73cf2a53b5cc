#!/usr/bin/env bash
# Installs the Debian packages tenken's PDF output and tests need, only when missing.
# fonts-noto-cjk: the Japanese font embedded in PDFs; libharfbuzz-subset0: WeasyPrint font subsetting
# (without it PDF output is ~4x slower); poppler-utils: pdftotext in tests; chromium: browser tests.
set -euo pipefail
need=()
for pkg in fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium wrk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
