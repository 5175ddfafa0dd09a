#!/usr/bin/env bash
# Installs what `make pdf` and tests/pdf need on a fresh machine, the way tests/browser/setup.sh
# installs Chromium: Debian packages with apt-get when running as root (CI does), otherwise it
# stops with the exact command to run. Nothing is installed when every tool is already there.
#   xelatex, latexmk   texlive-xetex latexmk texlive-latex-extra texlive-fonts-recommended
#   Noto CJK fonts     fonts-noto-cjk (the Korean edition's serif, sans and mono faces)
#   pdffonts, pdftotext, pdftoppm   poppler-utils (the checks of tests/pdf)
# About 450 MB installed; texlive-fonts-extra (1.4 GB) and the CJK/Korean TeX packages are not
# needed (see _ext/lossbook_latex.py).
set -euo pipefail
packages=(texlive-xetex latexmk texlive-latex-extra texlive-fonts-recommended fonts-noto-cjk poppler-utils)

have_all() {
    command -v xelatex >/dev/null 2>&1 && command -v latexmk >/dev/null 2>&1 \
        && command -v pdffonts >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
        && kpsewhich polyglossia.sty >/dev/null 2>&1 && kpsewhich tabulary.sty >/dev/null 2>&1 \
        && fc-list ':lang=ko' family | grep -q 'Noto Serif CJK KR'
}

if have_all; then
    echo "setup.sh: $(xelatex --version | head -n 1)"
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: installing ${packages[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends "${packages[@]}"
fi
if ! have_all; then
    echo "setup.sh: xelatex, latexmk, the Noto CJK fonts or poppler are missing and could not be" >&2
    echo "setup.sh: installed (needs root on Debian/Ubuntu). Run this, then 'make pdf' again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
    exit 1
fi
echo "setup.sh: $(xelatex --version | head -n 1)"
