#!/usr/bin/env bash
# ICE benchmark: time to the first nominated pair for two rtc4j agents over loopback host candidates and
# relay-only through rtc4j's TURN server (in-process), and connectivity checks answered per second by one
# agent (io.rtc4j.bench.ice.IceBench). Beside it, the anchor: Chromium-to-Chromium time to ICE "connected"
# over local addresses (bench/ice-chromium.mjs, node + playwright-core driving /usr/bin/chromium inside a
# network namespace of its own with lo and a veth pair, so it needs root; set NO_CHROMIUM=1 to skip it). Markdown on stdout,
# progress on stderr. Extra arguments go to IceBench (--runs N, --warmup N, --check-seconds S, --quick).
# Set SKIP_BUILD=1 to reuse the last build. Loopback traffic only.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"
JAVA="$(require_java bench/ice.sh)"
cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/ice.sh: building (./mvnw -q -B -Dmaven.test.skip=true package -pl rtc4j-bench -am)" >&2
    ./mvnw -q -B -Dmaven.test.skip=true package -pl rtc4j-bench -am >&2
fi

RUNS=50
WARMUP=5
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --runs) RUNS="${args[$((i + 1))]}" ;;
        --warmup) WARMUP="${args[$((i + 1))]}" ;;
        --quick) RUNS=10 ;;
    esac
done

ANCHOR=()
if [[ "${NO_CHROMIUM:-0}" != 1 ]]; then
    if [[ "$(id -u)" != 0 || ! -x /usr/bin/chromium ]] || ! command -v node >/dev/null; then
        echo "bench/ice.sh: the Chromium anchor needs root (network namespace), /usr/bin/chromium and node; skipped" >&2
    else
        NODE_DIR="$ROOT/rtc4j-bench/target/ice-node"
        if [[ ! -d "$NODE_DIR/node_modules/playwright-core" ]]; then
            echo "bench/ice.sh: installing playwright-core into $NODE_DIR (no browser download)" >&2
            mkdir -p "$NODE_DIR"
            (cd "$NODE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund \
                playwright-core@1.65.1 >&2)
        fi
        NS="rtc4j-icebench-$$"
        OUT="$ROOT/rtc4j-bench/target/ice-chromium-ms.txt"
        cleanup() { ip netns del "$NS" 2>/dev/null || true; }
        trap cleanup EXIT
        ip netns add "$NS"
        ip -n "$NS" link set lo up
        # Chromium gathers nothing without a default route: give it a veth pair inside the namespace (the
        # addresses are local to it, so its checks never leave the namespace)
        ip -n "$NS" link add v0 type veth peer name v1
        ip -n "$NS" addr add 10.99.0.1/24 dev v0
        ip -n "$NS" link set v0 up
        ip -n "$NS" link set v1 up
        ip -n "$NS" route add default dev v0
        echo "bench/ice.sh: Chromium anchor, $RUNS runs after $WARMUP warm-up, in namespace $NS" >&2
        PLAYWRIGHT_DIR="$NODE_DIR" ip netns exec "$NS" \
            node "$ROOT/bench/ice-chromium.mjs" "$RUNS" "$WARMUP" >"$OUT"
        ANCHOR=(--anchor "$OUT")
    fi
fi

SLF4J_VERSION="$(sed -n 's:.*<slf4j.version>\(.*\)</slf4j.version>.*:\1:p' pom.xml)"
SLF4J="$HOME/.m2/repository/org/slf4j/slf4j-api/$SLF4J_VERSION/slf4j-api-$SLF4J_VERSION.jar"
CP="rtc4j-bench/target/classes:rtc4j-testkit/target/classes:rtc4j-ice/target/classes:rtc4j-turn/target/classes:rtc4j-stun/target/classes:$SLF4J"
"$JAVA" -Xms64m -Xmx512m -cp "$CP" io.rtc4j.bench.ice.IceBench "${ANCHOR[@]}" "$@" 2> >(grep -v '^SLF4J' >&2)
