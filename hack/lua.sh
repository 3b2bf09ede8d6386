#!/usr/bin/env bash
# Runs a Lua interpreter from Debian, installing it on first use:
#   hack/lua.sh VERSION ARGS    VERSION 5.1 (the dialect of Argo CD's gopher-lua) or 5.4
# The chart's test evaluates the Argo CD health checks with both.
set -euo pipefail

version=${1:?usage: hack/lua.sh 5.1|5.4 ARGS}
shift
case $version in
  5.1|5.4) ;;
  *) echo "lua.sh: version $version: use 5.1 or 5.4" >&2; exit 2 ;;
esac
lua=/usr/bin/lua$version

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! [ -x "$lua" ]; then
  echo "lua.sh: installing lua$version from Debian" >&2
  # Lists may be missing or stale on a fresh machine: update only when the package is not found.
  if ! apt-cache show "lua$version" >/dev/null 2>&1; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "lua$version" >/dev/null
  [ -x "$lua" ] || { echo "lua.sh: $lua missing after installing lua$version" >&2; exit 1; }
fi
exec "$lua" "$@"
