#!/usr/bin/env bash
# Refreshes the Cloudflare ranges the operator ships (operator/src/main/resources/io/openclaw/operator/audit/
# cloudflare-ranges.txt): the addresses Cloudflare's proxies reach an origin from, which `audit --deep` and `run`'s
# HostHardened check hold UFW's rules for spec.hostHardening.cloudflarePorts to.
#
#   hack/update-cloudflare-ranges.sh           fetch https://www.cloudflare.com/ips-v4 and ips-v6, rewrite the file
#   hack/update-cloudflare-ranges.sh --check   fetch and compare; exit 1 when the shipped file is out of date
#
# Every line fetched must be a CIDR range, or nothing is written. Needs curl and a route to www.cloudflare.com.
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=operator/src/main/resources/io/openclaw/operator/audit/cloudflare-ranges.txt
log() { echo "update-cloudflare-ranges: $*" >&2; }
die() { log "$*"; exit 1; }
command -v curl >/dev/null || die "curl is required"

fetch() {
  curl -fsS --max-time 20 "https://www.cloudflare.com/$1" || die "cannot fetch https://www.cloudflare.com/$1"
}
v4=$(fetch ips-v4)
v6=$(fetch ips-v6)
while read -r range; do
  [ -z "$range" ] && continue
  [[ $range =~ ^[0-9a-fA-F:.]+/[0-9]{1,3}$ ]] || die "not a CIDR range in Cloudflare's answer: $range"
done <<<"$v4"$'\n'"$v6"
[ "$(grep -c . <<<"$v4")" -gt 0 ] && [ "$(grep -c . <<<"$v6")" -gt 0 ] || die "Cloudflare's answer is empty"

new=$(mktemp)
trap 'rm -f "$new"' EXIT
{
  sed -n '1,/^# IPv4$/p' "$FILE"
  grep . <<<"$v4"
  echo "# IPv6"
  grep . <<<"$v6"
} >"$new"
if [ "${1:-}" = --check ]; then
  if cmp -s "$new" "$FILE"; then log "$FILE is current"; exit 0; fi
  diff -u "$FILE" "$new" >&2 || true
  die "$FILE is out of date: run hack/update-cloudflare-ranges.sh"
fi
cp "$new" "$FILE"
log "wrote $FILE ($(grep -c . <<<"$v4") IPv4, $(grep -c . <<<"$v6") IPv6 ranges)"
