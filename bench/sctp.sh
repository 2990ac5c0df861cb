#!/usr/bin/env bash
# SCTP throughput benchmark on the virtual network (rtc4j-sctp's association pair over rtc4j-testkit's SimNetwork):
# goodput in virtual time through a rate-limited bottleneck at 0/50/100/200 ms RTT, and the CPU this process spent
# per MiB delivered (both endpoints and the simulator). No real network traffic at all. Extra arguments go to the
# tool (--rate-mbit N, --seconds S, --rtts 0,50,100,200). Set SKIP_BUILD=1 to reuse the last build.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"

JAVA="$(require_java bench/sctp.sh)"

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/sctp.sh: building (./mvnw -q -B -DskipTests package -pl rtc4j-bench -am)" >&2
    ./mvnw -q -B -DskipTests package -pl rtc4j-bench -am >&2
fi

CP="rtc4j-bench/target/classes:rtc4j-testkit/target/classes:rtc4j-sctp/target/classes"
exec "$JAVA" -Xms256m -Xmx1g -cp "$CP" io.rtc4j.bench.sctp.SctpBench "$@"
