#!/usr/bin/env bash
# The status of every resource of a manifest-directory operator (on-host mode), read from its state directory:
# one line per resource with its Ready condition and reason, like `kubectl get` shows them.
#
#   hack/status.sh [STATE_DIR]                       print KIND NAMESPACE/NAME READY REASON
#   hack/status.sh --wait-ready SECONDS [STATE_DIR]  wait until there is status and every resource is Ready
#   hack/status.sh --wait-gone SECONDS [STATE_DIR]   wait until no resource has status (the operator removed them)
#
# STATE_DIR defaults to the operator's own default, as `run` without --state-dir uses it (hack/run-local.sh):
# ${XDG_STATE_HOME:-~/.local/state}/openclaw-docker-operator.
#
# Status files: STATE_DIR/status/<Kind>/<namespace>/<name>.yaml; the first Ready condition in a file is the
# resource's own (per-host entries come after it). Exit 1 when a wait times out.
set -euo pipefail

mode=print timeout=0
case "${1:-}" in
  --wait-ready|--wait-gone) mode=${1#--}; timeout=${2:?$1 needs SECONDS}; shift 2 ;;
esac
state=${1:-${XDG_STATE_HOME:-$HOME/.local/state}/openclaw-docker-operator}
[ -d "$state" ] || { echo "status.sh: $state is not a directory (or not readable: try sudo)" >&2; exit 1; }

# KIND NAMESPACE/NAME READY REASON, one line per status file.
table() {
  local f text
  for f in "$state"/status/*/*/*.yaml; do
    # The operator replaces and removes these files as it goes: read each once, skip one that just went.
    text=$(cat "$f" 2>/dev/null) || continue
    echo "$text" | awk -v id="$(basename "$(dirname "$(dirname "$f")")") $(basename "$(dirname "$f")")/$(basename "$f" .yaml)" '
      /^ *- type: Ready *$/ && !seen { seen = 1; inside = 1; next }
      inside && /^ *- / { inside = 0 }
      inside && /^ *status:/ { ready = $2; gsub(/"/, "", ready) }
      inside && /^ *reason:/ { reason = $2 }
      END { print id, (ready == "" ? "Unknown" : ready), (reason == "" ? "-" : reason) }'
  done
}

deadline=$(( $(date +%s) + timeout ))
while :; do
  rows=$(table)
  case $mode in
    print) break ;;
    wait-ready) [ -n "$rows" ] && ! echo "$rows" | awk '$3 != "True" {bad = 1} END {exit !bad}' && break ;;
    wait-gone) [ -z "$rows" ] && break ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "status.sh: ${mode#wait-} not reached within $timeout s:" >&2
    { echo "KIND NAME READY REASON"; echo "$rows"; } | column -t >&2
    exit 1
  fi
  sleep 2
done
if [ -n "$rows" ]; then { echo "KIND NAME READY REASON"; echo "$rows"; } | column -t; fi
