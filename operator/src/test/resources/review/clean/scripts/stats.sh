#!/usr/bin/env bash
# Prints the word count of each note in the workspace's notes/ folder, one JSON line per note.
set -euo pipefail
for note in notes/*.md; do
  [ -e "$note" ] || continue
  jq -cn --arg note "$(basename "$note")" --argjson words "$(wc -w <"$note")" '{note: $note, words: $words}'
done
