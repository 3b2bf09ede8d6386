#!/usr/bin/env bash
# Builds the stand-in images that examples/local/ and the integration tests run on. No registry is reachable, so
# each image is a busybox-static root filesystem piped into `docker import`. Idempotent: an image whose content
# label matches this script's version is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-docker.sh"

DOCKER=/usr/bin/docker   # Debian's client, same version as the engine
VERSION=4                # bump when the root filesystem or the image settings below change
BASE=openclaw-standin/base:dev
SANDBOX=openclaw-standin/sandbox:dev
TAGS=(gateway socket-proxy model-proxy cache egress-proxy ingress-proxy)

stale=0
for image in "$BASE" "$SANDBOX"; do
  v=$($DOCKER image inspect -f '{{index .Config.Labels "openclaw-standin.version"}}' "$image" 2>/dev/null || true)
  [ "$v" = "$VERSION" ] || stale=1
done
if [ "$stale" = 1 ]; then
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs"/{bin,etc,tmp,run,var/tmp,workspace,standin,home/node}
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
  chown 1000:1000 "$rootfs/home/node"
  # The entry point stays up until told to stop and exits at once on TERM, so a graceful stop takes no 10 s.
  cat > "$rootfs/standin/run" <<'SCRIPT'
#!/bin/sh
trap 'exit 0' TERM INT
echo "stand-in $(hostname) started as $(id -u):$(id -g) with: $*"
if [ -n "${STANDIN_HTTP_PORT:-}" ]; then
  mkdir -p /tmp/www && echo ok > /tmp/www/index.html
  httpd -f -p "$STANDIN_HTTP_PORT" -h /tmp/www &
fi
sleep infinity &
wait
SCRIPT
  chmod 755 "$rootfs/standin/run"
  # Infrastructure stand-ins take the operator's arguments the way the real images do (an entry point);
  # the sandbox stand-in, like OpenClaw's sandbox image, has none: OpenClaw runs `sleep infinity` in it.
  tar -C "$rootfs" -c . | $DOCKER import \
    --change 'ENTRYPOINT ["/standin/run"]' \
    --change "LABEL openclaw-standin.version=$VERSION" \
    - "$BASE" >/dev/null
  tar -C "$rootfs" -c . | $DOCKER import \
    --change 'CMD ["sleep", "infinity"]' \
    --change "LABEL openclaw-standin.version=$VERSION" \
    - "$SANDBOX" >/dev/null
  echo "standin-images: built $BASE and $SANDBOX" >&2
fi
for tag in "${TAGS[@]}"; do
  $DOCKER tag "$BASE" "openclaw-standin/$tag:dev"
done
echo "standin-images: ${TAGS[*]/#/openclaw-standin/} and sandbox (:dev) ready" >&2
