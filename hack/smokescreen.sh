#!/usr/bin/env bash
# Builds Stripe's Smokescreen (the egress proxy) from the Go module proxy and packs it into a local test image.
#
#   hack/smokescreen.sh build     build the binaries once per version and input (cached); prints their directory
#   hack/smokescreen.sh image     build, then the image (only when its inputs changed); prints the image reference
#   hack/smokescreen.sh path      print the path of the image's binary, building it first if needed
#   hack/smokescreen.sh version   print the pinned Smokescreen version
#
# Pinned: github.com/stripe/smokescreen v0.1.0 (2026-09-18), the module proxy's newest. Two static (CGO_ENABLED=0)
# binaries, both in the image:
#   /usr/local/bin/smokescreen        the entry point: hack/smokescreen/main.go, upstream's main plus an HTTPS-only
#                                     policy (CONNECT tunnels to port 443 only, SMOKESCREEN_CONNECT_PORTS widens it);
#                                     upstream's flags, config file and ACL cannot refuse plain HTTP or other ports
#   /usr/local/bin/smokescreen-stock  `go install github.com/stripe/smokescreen@VERSION`, unchanged, so tests can show
#                                     what stock Smokescreen lets through
# The image (openclaw-test/smokescreen:VERSION) is a busybox-static root filesystem (like hack/standin-images.sh) plus
# the binaries, made with `docker import`: no registry is reachable. Its label openclaw-test.smokescreen.inputs names
# the binaries' hashes; an image with the same label is kept.
#
# Cache: ${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}/smokescreen/VERSION/ (binaries) and .../go/
# (module and build caches shared by the Go builds here). Needs Go and the Go module proxy; the checksum database is
# reached through the proxy (GOSUMDB's default, checked on this machine), nothing else is downloaded.
set -euo pipefail

SMOKESCREEN_VERSION=v0.1.0
IMAGE_REVISION=1   # bump when the root filesystem or the image settings below change
IMAGE=openclaw-test/smokescreen:$SMOKESCREEN_VERSION

here=$(cd "$(dirname "$0")" && pwd)
SRC=$here/smokescreen
CACHE_ROOT=${OPENCLAW_OPERATOR_CACHE:-$HOME/.cache/openclaw-docker-operator}
DIR=$CACHE_ROOT/smokescreen/$SMOKESCREEN_VERSION
GO_DIR=$CACHE_ROOT/go
DOCKER=/usr/bin/docker   # Debian's client, same version as the engine

log() { echo "smokescreen.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# The Go environment of every build here: caches outside the checkout, no workspace, no GOFLAGS from the caller;
# -modcacherw keeps the module cache deletable with rm -rf. GOTOOLCHAIN=auto: a Go older than the module's go line
# (1.25) fetches that toolchain from the module proxy (Debian's go.env says local).
go_env() {
  env GOPATH="$GO_DIR" GOMODCACHE="$GO_DIR/mod" GOCACHE="$GO_DIR/build" GOFLAGS=-modcacherw GOWORK=off \
    GOTOOLCHAIN=auto CGO_ENABLED=0 "$@"
}

check_prerequisites() {
  command -v go >/dev/null || die "go is required (Go >= 1.21; it fetches the 1.25 toolchain the module needs by itself)"
  local required
  required=$(awk '$1 == "github.com/stripe/smokescreen" {print $2} $2 == "github.com/stripe/smokescreen" {print $3}' "$SRC/go.mod")
  [ "$required" = "$SMOKESCREEN_VERSION" ] \
    || die "$SRC/go.mod requires smokescreen ${required:-nothing}, this script pins $SMOKESCREEN_VERSION: make them agree"
}

# Key of the HTTPS-only build: its sources (go.sum pins every dependency).
source_key() { cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-16; }

stock_bin() { echo "$DIR/stock/smokescreen"; }
https_only_bin() { echo "$DIR/https-only-$(source_key)/smokescreen"; }

built() { [ -x "$(stock_bin)" ] && [ -x "$(https_only_bin)" ]; }

cmd_build() {
  check_prerequisites
  mkdir -p "$DIR"
  if built; then echo "$DIR"; return 0; fi
  # One build at a time, even when several test runs start together.
  exec 9>"$DIR/.lock"
  flock 9
  if built; then echo "$DIR"; return 0; fi
  local start out
  start=$(date +%s)
  if ! [ -x "$(stock_bin)" ]; then
    log "building github.com/stripe/smokescreen@$SMOKESCREEN_VERSION (stock) with $(go version | cut -d' ' -f3)"
    out=$(mktemp -d "$DIR/.stock.XXXXXX")
    go_env GOBIN="$out" go install -trimpath -ldflags='-s -w' "github.com/stripe/smokescreen@$SMOKESCREEN_VERSION" \
      || { rm -rf "$out"; die "go install github.com/stripe/smokescreen@$SMOKESCREEN_VERSION failed"; }
    mkdir -p "$DIR/stock"
    mv -f "$out/smokescreen" "$DIR/stock/smokescreen" # atomic for concurrent readers
    rm -rf "$out"
  fi
  local target
  target=$(https_only_bin)
  if ! [ -x "$target" ]; then
    log "building the HTTPS-only smokescreen from $SRC"
    mkdir -p "$(dirname "$target")"
    # -mod=readonly: go.mod and go.sum in the checkout are inputs, never rewritten by a build.
    (cd "$SRC" && go_env go build -mod=readonly -trimpath -ldflags='-s -w' -o "$target.tmp" .) \
      || { rm -f "$target.tmp"; die "go build in $SRC failed"; }
    mv -f "$target.tmp" "$target"
    # Builds of older sources of the same version are of no further use.
    find "$DIR" -mindepth 1 -maxdepth 1 -type d -name 'https-only-*' ! -path "$(dirname "$target")" -exec rm -rf {} +
  fi
  log "built in $(( $(date +%s) - start )) s: $(stock_bin), $target"
  echo "$DIR"
}

cmd_image() {
  cmd_build >/dev/null
  local stock https_only inputs have
  stock=$(stock_bin) https_only=$(https_only_bin)
  inputs=$( (echo "revision $IMAGE_REVISION"; sha256sum "$stock" "$https_only" | cut -d' ' -f1) | sha256sum | cut -c1-16)
  have=$($DOCKER image inspect -f '{{index .Config.Labels "openclaw-test.smokescreen.inputs"}}' "$IMAGE" 2>/dev/null || true)
  if [ "$have" != "$inputs" ]; then
    "$here/ensure-docker.sh"
    local old_id
    old_id=$($DOCKER image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
    [ -x /bin/busybox ] || die "/bin/busybox (busybox-static) is missing; hack/ensure-docker.sh installs it"
    local start rootfs
    start=$(date +%s)
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    mkdir -p "$rootfs"/{bin,etc,tmp,usr/local/bin}
    chmod 1777 "$rootfs/tmp"
    cp /bin/busybox "$rootfs/bin/busybox"
    local applet
    for applet in $(/bin/busybox --list); do
      [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
    install -m 0755 "$https_only" "$rootfs/usr/local/bin/smokescreen"
    install -m 0755 "$stock" "$rootfs/usr/local/bin/smokescreen-stock"
    # No USER: the operator runs the proxy as the GatewayDeployment's egressProxy.user and owns its files accordingly.
    tar -C "$rootfs" --owner=0 --group=0 --numeric-owner -c . | $DOCKER import \
      --change 'ENTRYPOINT ["/usr/local/bin/smokescreen"]' \
      --change 'EXPOSE 4750' \
      --change "LABEL org.opencontainers.image.title=smokescreen org.opencontainers.image.version=$SMOKESCREEN_VERSION" \
      --change "LABEL openclaw-test.smokescreen.inputs=$inputs" \
      - "$IMAGE" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
    # The image it replaces would stay behind untagged; one a container still uses stays.
    if [ -n "$old_id" ]; then $DOCKER rmi "$old_id" >/dev/null 2>&1 || log "kept the replaced image ${old_id:7:12} (in use)"; fi
    log "image $IMAGE built in $(( $(date +%s) - start )) s"
  fi
  log "$IMAGE ready ($("$https_only" --version 2>&1 | head -1))"
  echo "$IMAGE"
}

case "${1:-}" in
  build) cmd_build ;;
  image) cmd_image ;;
  path) cmd_build >/dev/null; https_only_bin ;;
  version) echo "$SMOKESCREEN_VERSION" ;;
  *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
