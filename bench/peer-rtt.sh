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

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"
JAVA="$(find_java)"
if [[ -z "$JAVA" ]]; then
    echo "bench/peer-rtt.sh: a JDK ${MIN_JAVA} or newer is required (JAVA_HOME or /usr/lib/jvm/*)" >&2
    exit 1
fi
cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/peer-rtt.sh: building (./mvnw -q -B -DskipTests package -pl rtc4j-bench -am)" >&2
    ./mvnw -q -B -DskipTests -Dfuzz.skip=true -Dfuzz.skip.2=true -Dfuzz.skip.3=true package -pl rtc4j-bench -am >&2
fi

M2="${MAVEN_REPO:-$HOME/.m2/repository}"
BC_VERSION="$(sed -n 's:.*<bouncycastle.version>\(.*\)</bouncycastle.version>.*:\1:p' pom.xml)"
SLF4J_VERSION="$(sed -n 's:.*<slf4j.version>\(.*\)</slf4j.version>.*:\1:p' pom.xml)"
CP="rtc4j-bench/target/classes"
for m in peer ice turn stun sdp dtls sctp; do
    CP="$CP:rtc4j-$m/target/classes"
done
for artifact in bcprov bcpkix bcutil bctls; do
    CP="$CP:$M2/org/bouncycastle/$artifact-jdk18on/$BC_VERSION/$artifact-jdk18on-$BC_VERSION.jar"
done
CP="$CP:$M2/org/slf4j/slf4j-api/$SLF4J_VERSION/slf4j-api-$SLF4J_VERSION.jar"
MAIN=io.rtc4j.bench.peer.PeerRttBench
if [[ "${1:-}" == capacity ]]; then
    MAIN=io.rtc4j.bench.peer.RelayCapacity
    shift
fi
exec "$JAVA" ${PEER_RTT_JAVA_OPTS:-} -Xms256m -Xmx1g -cp "$CP" "$MAIN" "$@"
