#!/usr/bin/env bash
# Prints the overall status of each model provider from its public status page.
set -euo pipefail
for page in https://status.openai.com/api/v2/status.json https://status.anthropic.com/api/v2/status.json; do
  curl -fsS --max-time 10 "$page" | jq -r '.status.description'
done
