#!/usr/bin/env bash
# Data-channel benchmark, rtc4j to rtc4j over 127.0.0.1 (io.rtc4j.bench.peer.PeerBench): time from createOffer to
# the channel open, and bulk MB/s of 64 KiB binary messages under bufferedAmount flow control, two
# RtcPeerConnections in one JVM on real UDP sockets. Markdown on stdout, progress on stderr. Extra arguments go to
# the tool (--open-runs N, --bulk-runs N, --mib N). Set SKIP_BUILD=1 to reuse the last build. Loopback traffic only.
# No Chromium anchor here yet: the `./rtc4j peer` interop command is meant to measure rtc4j beside Chromium.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"
JAVA="$(find_java)"
if [[ -z "$JAVA" ]]; then
    echo "bench/peer.sh: a JDK ${MIN_JAVA} or newer is required (JAVA_HOME or /usr/lib/jvm/*)" >&2
    exit 1
fi
cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/peer.sh: building (./mvnw -q -B -DskipTests package -pl rtc4j-bench -am)" >&2
    ./mvnw -q -B -DskipTests -Dfuzz.skip=true -Dfuzz.skip.2=true package -pl rtc4j-bench -am >&2
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
exec "$JAVA" ${PEER_BENCH_JAVA_OPTS:-} -Xms256m -Xmx1g -cp "$CP" io.rtc4j.bench.peer.PeerBench "$@"
