#!/usr/bin/env bash
# Re-captures the Chromium SDP fixtures in ../resources/io/rtc4j/sdp/fixtures (not run by the build).
# Needs root (network namespace), /usr/bin/chromium and node + npm. Traffic stays inside a namespace this
# script makes: lo plus a veth pair (10.99.0.1/24, default route into it) so that Chromium has a non-loopback
# interface to hide behind an mDNS name.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/io/rtc4j/sdp/fixtures"
work="$(mktemp -d)"; ns="sdpcap$$"
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp "$here/cap.js" "$here/page.html" "$work/"
(cd "$work" && npm init -y >/dev/null && npm install --silent playwright-core@1 >/dev/null)
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" addr add 10.99.0.1/24 dev v0
ip -n "$ns" link set v0 up; ip -n "$ns" link set v1 up
ip -n "$ns" route add default dev v0
# mDNS host candidates: data channel only, no fake media UI (granting media permission reveals real IPs).
ONLYDATA=1 ip netns exec "$ns" node "$work/cap.js" "$out/chromium156-mdns"
# Plain host candidates: data only, and audio + video (fake devices) + data.
ip netns exec "$ns" node "$work/cap.js" "$out/chromium156-nomdns" --disable-features=WebRtcHideLocalIpsWithMdns
