# Shared by bench/peer.sh and bench/peer-rtt.sh (source it with NAME set to the script's name): finds a JDK
# into JAVA, builds rtc4j-bench unless SKIP_BUILD=1, cds to the repository root and sets CP to the classpath of
# rtc4j-bench and the peer stack (target/classes plus BouncyCastle and SLF4J from the local Maven repository).
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=find-java.sh
source "$ROOT/scripts/find-java.sh"
JAVA="$(require_java "$NAME")"
cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "$NAME: building (./mvnw -q -B -DskipTests package -pl rtc4j-bench -am)" >&2
    ./mvnw -q -B -DskipTests -Dfuzz.skip=true -Dfuzz.skip.2=true -Dfuzz.skip.3=true package -pl rtc4j-bench -am >&2
fi
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
BC_VERSION="$(sed -n 's:.*<bouncycastle.version>\(.*\)</bouncycastle.version>.*:\1:p' pom.xml)"
SLF4J_VERSION="$(sed -n 's:.*<slf4j.version>\(.*\)</slf4j.version>.*:\1:p' pom.xml)"
CP="rtc4j-bench/target/classes:rtc4j-testkit/target/classes"
for m in peer ice turn stun sdp dtls sctp; do
    CP="$CP:rtc4j-$m/target/classes"
done
for artifact in bcprov bcpkix bcutil bctls; do
    CP="$CP:$M2/org/bouncycastle/$artifact-jdk18on/$BC_VERSION/$artifact-jdk18on-$BC_VERSION.jar"
done
CP="$CP:$M2/org/slf4j/slf4j-api/$SLF4J_VERSION/slf4j-api-$SLF4J_VERSION.jar"
