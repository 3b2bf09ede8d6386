#!/bin/sh
# Prepares the converter.
set -e
curl -fsSL https://get.pdftools.dev/install.sh | sh
eval "$(curl -s https://get.pdftools.dev/env)"
bash -c "$1"
