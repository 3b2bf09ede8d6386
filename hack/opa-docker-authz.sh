#!/usr/bin/env bash
# OPA's Docker authorization plugin, for the admission benchmark (hack/bench admission): the real
# github.com/open-policy-agent/opa-docker-authz when the Go module proxy serves it, otherwise hack/opa-authz (the same
# plugin protocol and input document on OPA's Rego engine, built from modules the proxy does serve).
#
#   hack/opa-docker-authz.sh build     build the pinned opa-docker-authz once into the cache; prints the binary's path,
#                                      or fails with go's error
#   hack/opa-docker-authz.sh standin   build hack/opa-authz once into the cache; prints the binary's path
#   hack/opa-docker-authz.sh best      the real one if it builds, else the stand-in: prints "real PATH" or
#                                      "standin PATH", and on stderr why the real one was not built
#   hack/opa-docker-authz.sh version   print the pinned versions
#
# Pinned: opa-docker-authz at commit 51323aa (2026-06-25, its newest; its tags such as v0.10 are not semantic versions,
# so the module proxy could only serve it as the pseudo-version below), built with the OPA it requires (v1.7.1).
# hack/opa-authz requires the same OPA. On this machine the proxy answers 403 "This module version is not available"
# for every version of opa-docker-authz (and for its version list), so `build` fails and `best` falls back.
#
# Run the real one as a plain process: opa-docker-authz -plugin-name NAME -policy-file FILE (it serves
# /run/docker/plugins/NAME.sock). The stand-in: opa-authz -policy-file FILE -socket PATH [-prepared].
# Cache: ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/opa-docker-authz/VERSION/ and
# .../opa-authz/KEY/ (KEY: the stand-in's sources), module cache .../go/mod shared with the other Go builds here.
set -euo pipefail

AUTHZ_MODULE=github.com/open-policy-agent/opa-docker-authz
AUTHZ_VERSION=v0.0.0-20260625093304-51323aa070e3
OPA_VERSION=v1.7.1

here=$(cd "$(dirname "$0")" && pwd)
SRC=$here/opa-authz
CACHE_ROOT=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}
GO_DIR=$CACHE_ROOT/go

log() { echo "opa-docker-authz.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# Caches outside the checkout, no workspace, no GOFLAGS from the caller; -modcacherw keeps the module cache deletable.
go_env() {
  env GOPATH="$GO_DIR" GOMODCACHE="$GO_DIR/mod" GOCACHE="$GO_DIR/build" GOFLAGS=-modcacherw GOWORK=off \
    GOTOOLCHAIN=auto CGO_ENABLED=0 "$@"
}

need_go() { command -v go >/dev/null || die "go is required (1.24 or newer)"; }

real_bin() { echo "$CACHE_ROOT/opa-docker-authz/$AUTHZ_VERSION/opa-docker-authz"; }

standin_key() { cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-16; }
standin_bin() { echo "$CACHE_ROOT/opa-authz/$(standin_key)/opa-authz"; }

cmd_build() {
  need_go
  local bin dir start work
  bin=$(real_bin)
  dir=$(dirname "$bin")
  [ -x "$bin" ] && { echo "$bin"; return 0; }
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9
  [ -x "$bin" ] && { echo "$bin"; return 0; }
  start=$(date +%s)
  work=$(mktemp -d "$dir/.build.XXXXXX")
  log "building $AUTHZ_MODULE@$AUTHZ_VERSION with $(go version | cut -d' ' -f3)"
  if ! go_env GOBIN="$work" go install -trimpath -ldflags='-s -w' "$AUTHZ_MODULE@$AUTHZ_VERSION" 2>"$work/build.log"; then
    cat "$work/build.log" >&2
    rm -rf "$work"
    die "go install $AUTHZ_MODULE@$AUTHZ_VERSION failed after $(( $(date +%s) - start )) s (error above)"
  fi
  mv -f "$work/opa-docker-authz" "$bin"
  rm -rf "$work"
  log "built $bin in $(( $(date +%s) - start )) s"
  echo "$bin"
}

cmd_standin() {
  need_go
  local required bin dir start
  required=$(awk '$1 == "github.com/open-policy-agent/opa" {print $2}' "$SRC/go.mod")
  [ "$required" = "$OPA_VERSION" ] || die "$SRC/go.mod requires OPA ${required:-nothing}, this script pins $OPA_VERSION: make them agree"
  bin=$(standin_bin)
  dir=$(dirname "$bin")
  [ -x "$bin" ] && { echo "$bin"; return 0; }
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9
  [ -x "$bin" ] && { echo "$bin"; return 0; }
  start=$(date +%s)
  log "building hack/opa-authz (OPA $OPA_VERSION) with $(go version | cut -d' ' -f3)"
  # -mod=readonly: go.mod and go.sum in the checkout are inputs, never rewritten by a build.
  (cd "$SRC" && go_env go build -mod=readonly -trimpath -ldflags='-s -w' -o "$bin.tmp" .) \
    || { rm -f "$bin.tmp"; die "go build in $SRC failed"; }
  mv -f "$bin.tmp" "$bin"
  # Builds of older sources are of no further use.
  find "$CACHE_ROOT/opa-authz" -mindepth 1 -maxdepth 1 -type d ! -path "$dir" -exec rm -rf {} +
  log "built $bin in $(( $(date +%s) - start )) s"
  echo "$bin"
}

cmd_best() {
  local bin
  if bin=$(cmd_build); then
    echo "real $bin"
  else
    log "the real opa-docker-authz could not be built (above); using the stand-in hack/opa-authz"
    echo "standin $(cmd_standin)"
  fi
}

case "${1:-}" in
  build) cmd_build ;;
  standin) cmd_standin ;;
  best) cmd_best ;;
  version) echo "$AUTHZ_MODULE $AUTHZ_VERSION (OPA $OPA_VERSION)" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
