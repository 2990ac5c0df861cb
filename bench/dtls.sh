#!/usr/bin/env bash
# DTLS benchmark: rtc4j's DtlsEndpoint (BouncyCastle DTLS 1.2 behind the sans-IO facade), two endpoints in one
# JVM joined in memory: handshakes/s (sequential and N at once) and application-data MB/s. Builds the modules
# it needs, then runs io.rtc4j.bench.dtls.DtlsBench; extra arguments go to the tool (--handshakes N,
# --parallel P, --mib M, --size B, --runs R). Set SKIP_BUILD=1 to reuse the last build.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"

JAVA="$(require_java bench/dtls.sh)"

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/dtls.sh: building (./mvnw -q -B -DskipTests package -pl rtc4j-bench -am)" >&2
    ./mvnw -q -B -DskipTests -Dfuzz.skip=true -Dfuzz.skip.2=true package -pl rtc4j-bench -am >&2
fi

# BouncyCastle from the local Maven repository, at the version the parent pom pins.
BC_VERSION="$(sed -n 's:.*<bouncycastle.version>\(.*\)</bouncycastle.version>.*:\1:p' pom.xml)"
REPO="${MAVEN_REPO:-$HOME/.m2/repository}/org/bouncycastle"
CP="rtc4j-bench/target/classes:rtc4j-dtls/target/classes"
for artifact in bcprov bcpkix bcutil bctls; do
    CP="$CP:$REPO/$artifact-jdk18on/$BC_VERSION/$artifact-jdk18on-$BC_VERSION.jar"
done
exec "$JAVA" -Xms256m -Xmx1g -cp "$CP" io.rtc4j.bench.dtls.DtlsBench "$@"
