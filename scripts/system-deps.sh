#!/usr/bin/env bash
# Installs the system programs studydeck needs, when they are missing and we may install:
#   build: Graphviz (dot) and a Korean font (fonts-noto-cjk), fontconfig, and the stand-ins for
#          Calibri and Arial (Carlito, Liberation Sans) that text is fitted against. No emoji
#          font: LibreOffice 7.4 leaves colour emoji (and the ✔ it would take from them) out of
#          PDF exports
#   test:  also LibreOffice Impress (soffice), poppler-utils (pdftoppm, pdfinfo), Chromium (the
#          browser tests drive it with Playwright) and python3-uno (the LibreOffice workers of
#          exports and preview run under it: they turn Korean autospacing off)
set -euo pipefail
need_test=0
[ "${1:-}" = "--test" ] && need_test=1

missing=()
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=ko family 2>/dev/null | grep -i 'Noto Sans CJK' || true)" ]; then
  missing+=(fonts-noto-cjk)
fi
families="$(fc-list : family 2>/dev/null || true)"
grep -q 'Carlito' <<<"$families" || missing+=(fonts-crosextra-carlito)
grep -q 'Liberation Sans' <<<"$families" || missing+=(fonts-liberation)
grep -q 'DejaVu Sans' <<<"$families" || missing+=(fonts-dejavu-core)
if [ "$need_test" = 1 ]; then
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || missing+=(python3-uno)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "studydeck: installing missing system packages: ${missing[*]}"
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "studydeck: cannot install system packages without root. Please run:" >&2
  echo "    sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "studydeck: no apt-get here; install these with your package manager: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
echo "studydeck: installed ${missing[*]}"
