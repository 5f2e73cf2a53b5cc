#!/usr/bin/env bash
# Installs the Debian packages tenken's PDF output and tests need, only when missing.
# fonts-noto-cjk: the Japanese font embedded in PDFs; libharfbuzz-subset0: WeasyPrint font subsetting
# (without it PDF output is ~4x slower); poppler-utils: pdftotext in tests; chromium: browser tests;
# libreoffice-calc-nogui: the print test converts a generated 回答票 to PDF (tests/test_print_setup.py).
set -euo pipefail
need=()
for pkg in fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium wrk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
lo=()
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || lo=(libreoffice-calc-nogui)
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#need[@]} -gt 0 ] || [ ${#lo[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
fi
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ${#lo[@]} -gt 0 ]; then  # Calc alone, without the desktop's recommended extras
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${lo[@]}" >/dev/null
fi
