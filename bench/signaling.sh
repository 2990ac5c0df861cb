#!/usr/bin/env bash
# Signaling load benchmark: `rtc4j server --no-turn` in its own JVM (-Xmx1g), and io.rtc4j.bench.signaling
# .SignalingLoad with 5,000 WebSocket clients in rooms of 5 exchanging offer/answer/ice_candidate on loopback.
# Prints relay latency (p50/p99) and the server's heap (jcmd GC.heap_info). Extra arguments go to the load
# tool (e.g. --clients 1000 --rate 2000 --seconds 10). Set SKIP_BUILD=1 to reuse the last build, and
# SERVER_JAVA_OPTS for the server JVM (e.g. -XX:StartFlightRecording=filename=/tmp/s.jfr), SERVER_ARGS for
# extra `rtc4j server` options (e.g. --http-threads 1).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"
JAVA="$(find_java)"
if [[ -z "$JAVA" ]]; then
    echo "bench/signaling.sh: a JDK ${MIN_JAVA} or newer is required (JAVA_HOME or /usr/lib/jvm/*)" >&2
    exit 1
fi
cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/signaling.sh: building rtc4j-server and rtc4j-bench" >&2
    ./mvnw -q -B -Dmaven.test.skip=true package -pl rtc4j-server,rtc4j-bench -am >&2
fi

# 5,000 client sockets here and 5,000 in the server, plus jars and epoll: raise the soft limit if we may.
WANT=32768
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt "$WANT" ]]; then
    ulimit -n "$WANT" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
echo "bench/signaling.sh: open files limit $(ulimit -n), $(nproc) cores" >&2

PORT="${PORT:-28931}"
LOG="$ROOT/rtc4j-bench/target/signaling-server.log"
mkdir -p "$(dirname "$LOG")"
"$JAVA" -Xms256m -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${SERVER_JAVA_OPTS:-} \
    -jar "$ROOT/rtc4j-server/target/rtc4j.jar" server --no-turn -L 127.0.0.1 --http-port "$PORT" ${SERVER_ARGS:-} >"$LOG" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    kill -0 "$SERVER" 2>/dev/null || { echo "server died:"; cat "$LOG"; exit 1; } >&2
    sleep 0.2
done

"$JAVA" -Xms256m -Xmx1g -cp "$ROOT/rtc4j-bench/target/classes:$ROOT/rtc4j-server/target/rtc4j.jar" \
    io.rtc4j.bench.signaling.SignalingLoad --url "ws://127.0.0.1:$PORT/ws" --server-pid "$SERVER" "$@"
