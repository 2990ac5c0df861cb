#!/usr/bin/env bash
# Data-channel benchmark, rtc4j to rtc4j over 127.0.0.1 (io.rtc4j.bench.peer.PeerBench): time from createOffer to
# the channel open, and bulk MB/s of 64 KiB binary messages under bufferedAmount flow control, two
# RtcPeerConnections in one JVM on real UDP sockets. Markdown on stdout, progress on stderr. Extra arguments go to
# the tool (--open-runs N, --bulk-runs N, --mib N). Set SKIP_BUILD=1 to reuse the last build. Loopback traffic only.
# The side-by-side with Chromium is bench/peer-chromium.sh.
set -euo pipefail

NAME=bench/peer.sh
# shellcheck source=../scripts/peer-bench-env.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../scripts/peer-bench-env.sh"
exec "$JAVA" ${PEER_BENCH_JAVA_OPTS:-} -Xms256m -Xmx1g -cp "$CP" io.rtc4j.bench.peer.PeerBench "$@"
