#!/usr/bin/env bash
# Data-channel bulk throughput over a long path, rtc4j to rtc4j (io.rtc4j.bench.peer.PeerRttBench): two
# RtcPeerConnections in one JVM on 127.0.0.1, every datagram (ICE checks included) through a user-space UDP
# relay (DelayRelay) that adds RTT/2 each way and optionally a token-bucket bottleneck with a drop-tail queue and
# seeded random loss (this kernel has no netem). Markdown on stdout, progress on stderr. Extra arguments go to the
# tool: --rtt-ms 100, --rate-mbit 0 (unlimited), --loss 0, --mib 64, --warmup-mib (= --mib), --runs 3, --queue-kib BDP, --seed 1,
# --timeout-s 300, --high-mib 4 (bufferedAmount high water mark), --timeline. `bench/peer-rtt.sh capacity [--mbyte-s 150] [--seconds 3]` instead checks that the
# relay alone carries that rate of 1,200-byte datagrams without drops (RelayCapacity). Set SKIP_BUILD=1 to reuse
# the last build. Loopback traffic only.
set -euo pipefail

NAME=bench/peer-rtt.sh
# shellcheck source=../scripts/peer-bench-env.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../scripts/peer-bench-env.sh"
MAIN=io.rtc4j.bench.peer.PeerRttBench
if [[ "${1:-}" == capacity ]]; then
    MAIN=io.rtc4j.bench.peer.RelayCapacity
    shift
fi
exec "$JAVA" ${PEER_RTT_JAVA_OPTS:-} -Xms256m -Xmx1g -cp "$CP" "$MAIN" "$@"
