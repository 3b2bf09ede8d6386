#!/usr/bin/env python3
"""Converts a PDF to text."""
import os
import subprocess
import sys

src, dst = sys.argv[1], sys.argv[2]
subprocess.run(f"pdftotext {src} {dst}", shell=True, check=True)
os.system("rm -f /tmp/pdf-cache-" + src)
