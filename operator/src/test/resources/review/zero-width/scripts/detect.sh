#!/bin/sh
# Detects the language of stdin.
lang="en" # ‮exit 0 # hcetab a fi ‬
echo "$lang"
