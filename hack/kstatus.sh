#!/usr/bin/env bash
# kstatus as Flux and kpt compute it (sigs.k8s.io/cli-utils/pkg/kstatus/status.Compute) for objects on stdin.
#
#   hack/kstatus.sh build     build hack/kstatus once into the cache and print the binary's path
#   hack/kstatus.sh < OBJ     build if needed, then print one JSON line per object read (JSON or YAML, one object,
#                             several documents or a List): {"kind","namespace","name","status","message"}
#   e.g. hack/kube-apiserver.sh kubectl DIR get gatewaydeployments -o json | hack/kstatus.sh
#
# Built with the Go module proxy (the checksum database checks every module) and the Go release pinned below;
# cache, keyed by the program's sources: ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/kstatus
set -euo pipefail

TOOLCHAIN=go1.24.9
SRC=$(cd "$(dirname "$0")/kstatus" && pwd)
CACHE_ROOT=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}

log() { echo "kstatus.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# A new cli-utils version, or any change to the program, builds beside the old binary.
KEY=$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-12)
BIN=$CACHE_ROOT/kstatus/$KEY/kstatus

build() {
  command -v go >/dev/null || die "Go 1.21 or newer is needed on PATH (it fetches $TOOLCHAIN through the module proxy)"
  mkdir -p "$(dirname "$BIN")"
  exec 9>"$(dirname "$BIN")/.lock"
  flock 9
  [ -x "$BIN" ] && return 0
  local start work
  start=$(date +%s)
  work=$(mktemp -d "$(dirname "$BIN")/build.XXXXXX")
  # shellcheck disable=SC2064 # expand now: the trap must remove this very directory
  trap "rm -rf '$work'" EXIT
  log "building hack/kstatus with $TOOLCHAIN"
  (
    cd "$SRC"
    # -mod=readonly: go.sum in the checkout is the list of accepted module hashes; nothing is written there.
    GOMODCACHE=$CACHE_ROOT/go/mod GOCACHE=$work/gocache GOPATH=$work/gopath GOFLAGS="-modcacherw -mod=readonly" \
      GOWORK=off GOTOOLCHAIN=$TOOLCHAIN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/kstatus" .
  ) >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "go build failed (log above)"; }
  mv -f "$work/kstatus" "$BIN"
  rm -rf "$work"
  trap - EXIT
  log "built $BIN in $(( $(date +%s) - start )) s"
}

[ -x "$BIN" ] || build
case "${1:-}" in
  build) echo "$BIN" ;;
  "") exec "$BIN" ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
