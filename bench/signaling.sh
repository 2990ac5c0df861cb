#!/usr/bin/env bash
# Signaling load benchmark: `rtc4j server --no-turn` in its own JVM (-Xmx1g), and io.rtc4j.bench.signaling
# .SignalingLoad with 5,000 WebSocket clients in rooms of 5 exchanging offer/answer/ice_candidate on loopback.
# Prints relay latency (p50/p99) and the server's heap (jcmd GC.heap_info). Extra arguments go to the load
# tool (e.g. --clients 1000 --rate 2000 --seconds 10). Set SKIP_BUILD=1 to reuse the last build, and
# SERVER_JAVA_OPTS for the server JVM (e.g. -XX:StartFlightRecording=filename=/tmp/s.jfr), SERVER_ARGS for
# extra `rtc4j server` options (e.g. --http-threads 1), SERVER_JAR for another build of rtc4j.jar (A/B runs).
# `--server rtc4j|node|both` (first argument; default both) picks the relay: rtc4j, the Node.js `ws` anchor in
# bench/node-relay (npm-installed into rtc4j-bench/target/node-relay), or both, one after the other with the same
# load. Each run prints one `result server=...` summary line at the end.
set -euo pipefail

WHICH=both
if [[ "${1:-}" == --server ]]; then
    WHICH="$2"
    shift 2
fi
case "$WHICH" in rtc4j | node | both) ;; *) echo "bench/signaling.sh: --server rtc4j|node|both" >&2; exit 2 ;; esac

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"
JAVA="$(require_java bench/signaling.sh)"
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
if [[ "$WHICH" != rtc4j ]]; then
    command -v node >/dev/null || { echo "bench/signaling.sh: node (Node.js 18+) is required for the anchor" >&2; exit 1; }
    NODE_DIR="$ROOT/rtc4j-bench/target/node-relay"
    mkdir -p "$NODE_DIR"
    cp "$ROOT/bench/node-relay/package.json" "$ROOT/bench/node-relay/package-lock.json" "$ROOT/bench/node-relay/relay.js" "$NODE_DIR/"
    if [[ ! -d "$NODE_DIR/node_modules/ws" ]]; then
        (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
fi

SERVER=
cleanup() {
    if [[ -n "$SERVER" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    SERVER=
}
trap cleanup EXIT

run_one() { # $1 = rtc4j | node; the rest go to the load tool
    local kind="$1"
    shift
    local log="$ROOT/rtc4j-bench/target/signaling-$kind.log" out="$ROOT/rtc4j-bench/target/signaling-load-$kind.txt"
    local extra=() port="$PORT"
    [[ "$kind" == node ]] && port=$((PORT + 1)) # a fresh port: no TIME_WAIT from the run before
    mkdir -p "$(dirname "$log")"
    if [[ "$kind" == rtc4j ]]; then
        "$JAVA" -Xms256m -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${SERVER_JAVA_OPTS:-} \
            -jar "${SERVER_JAR:-$ROOT/rtc4j-server/target/rtc4j.jar}" server --no-turn -L 127.0.0.1 --http-port "$port" ${SERVER_ARGS:-} >"$log" 2>&1 &
    else
        node "$NODE_DIR/relay.js" 127.0.0.1 "$port" >"$log" 2>&1 &
        extra=(--server-not-jvm)
    fi
    SERVER=$!
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        kill -0 "$SERVER" 2>/dev/null || { echo "server died:"; cat "$log"; exit 1; } >&2
        sleep 0.2
    done
    echo "bench/signaling.sh: load against $kind (pid $SERVER)" >&2
    "$JAVA" -Xms256m -Xmx1g -cp "$ROOT/rtc4j-bench/target/classes:$ROOT/rtc4j-server/target/rtc4j.jar" \
        io.rtc4j.bench.signaling.SignalingLoad --url "ws://127.0.0.1:$port/ws" --server-pid "$SERVER" "${extra[@]}" "$@" | tee "$out"
    cleanup
    local lat cpu sys rss
    lat="$(grep '^latency_ms' "$out" | sed 's/latency_ms //')"
    cpu="$(grep -o 'server_cpu_us_per_relayed_message=[^ ]*' "$out")"
    sys="$(grep -o 'server_kernel_share=[^ ]*' "$out")"
    sys="$sys $(grep -o 'sent=[0-9]* received=[0-9]*' "$out")"
    rss="$(grep -o 'server_rss=[^ ]*' "$out")"
    echo "result server=$kind $lat $cpu $sys $rss loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)"
}

case "$WHICH" in
    rtc4j | node) run_one "$WHICH" "$@" ;;
    both)
        run_one rtc4j "$@"
        sleep 2 # the port and the kernel's socket state settle between the two
        run_one node "$@"
        ;;
esac
