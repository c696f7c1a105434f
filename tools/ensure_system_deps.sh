#!/usr/bin/env bash
# Make sure the Debian packages the handbook needs are present, installing them when we can.
#   fonts   a CJK font, so charts and diagrams draw Chinese characters, never boxes
#   browser Debian's chromium, for the browser tests (never a test tool's own browser download)
#   pdf     Debian's chromium (prints the PDF) and poppler-utils (pdftotext, pdffonts: page lookup and checks)
# Usage: tools/ensure_system_deps.sh fonts [browser] [pdf]
set -euo pipefail

missing=()
for want in "$@"; do
  case "$want" in
    fonts)   fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk fontconfig) ;;
    browser) command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
    pdf)     command -v chromium >/dev/null 2>&1 || missing+=(chromium)
             command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 || missing+=(poppler-utils) ;;
    *) echo "ensure_system_deps: unknown need '$want' (known: fonts, browser, pdf)" >&2; exit 2 ;;
  esac
done
((${#missing[@]})) || exit 0

echo "==> installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
else
  echo "error: these Debian packages are missing: ${missing[*]}" >&2
  echo "       install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
