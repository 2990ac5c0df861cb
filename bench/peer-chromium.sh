#!/usr/bin/env bash
# Data-channel benchmark (issue 5): bulk throughput (MB/s = bytes / 1e6 / s) and time to channel open, side by
# side in one run over loopback: rtc4j->rtc4j (`rtc4j peer offer` to `rtc4j peer answer`, two JVMs),
# rtc4j->Chromium, Chromium->rtc4j, and the anchor Chromium->Chromium (two headless /usr/bin/chromium
# processes). Each mode sends MIB MiB in 64 KiB messages with bufferedAmount flow control and stops the clock
# when the receiver's byte count arrives; modes are interleaved in every run, after 5 unscored 8 MiB
# warm-up connections per mode (-Dbench.warmups). The rtc4j offerer of the main rows is `rtc4j peer offer`'s
# code run repeatedly in the driver's JVM (warm, as the long-lived browsers and `rtc4j peer answer` are); the
# "(fresh-jvm)" rows spawn `./rtc4j peer offer` as a new process per run (class loading and JIT included;
# the launcher's AOT cache on JDK 25+). Time to open comes from connections that only open (0 MiB): 20 per mode, interleaved, after 100
# unscored ones per mode (the JIT compiles handshake code only after some hundreds of connections; set
# PEER_BENCH_OPTS="-Dbench.openWarmups=N -Dbench.openRuns=N" to change). Everything runs inside a network
# namespace this script makes (lo, plus a veth pair whose both ends stay inside), so it needs root.
#
#   bench/peer-chromium.sh [--runs N] [--mib M]       (defaults: 3 runs of 100 MiB; a few minutes)
#
# The 100 ms RTT rows need `tc qdisc ... netem` (kernel module sch_netem); the script tries it on the
# namespace's loopback and says so when the kernel lacks it. Markdown on stdout, progress on stderr.
# Set SKIP_BUILD=1 to reuse the last build.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"
JAVA="$(require_java bench/peer-chromium.sh)"
if [[ "$(id -u)" != 0 || ! -x /usr/bin/chromium ]]; then
    echo "bench/peer-chromium.sh: needs root (network namespace) and /usr/bin/chromium" >&2
    exit 1
fi
RUNS=3
MIB=100
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --mib) MIB="$2"; shift 2 ;;
        *) echo "bench/peer-chromium.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/peer-chromium.sh: building (./mvnw -q -B -DskipTests package -pl rtc4j-server -am)" >&2
    ./mvnw -q -B -DskipTests package -pl rtc4j-server -am >&2
fi
# the driver is test code of rtc4j-server (it shares the Chromium page and harness with ChromiumPeerInteropTest)
CP="rtc4j-server/target/test-classes:rtc4j-testkit/target/classes:rtc4j-server/target/rtc4j.jar"

NS="rtc4j-peerbench-$$"
cleanup() { ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add v0 type veth peer name v1
ip -n "$NS" addr add 10.98.0.1/24 dev v0
ip -n "$NS" link set v0 up
ip -n "$NS" link set v1 up

# the fresh-JVM rows run the launcher, as a user would; make its JVM AOT cache now (JDK 25+), not in a run
ip netns exec "$NS" "$ROOT/rtc4j" peer --help >/dev/null
LOG="$ROOT/rtc4j-server/target/peer-bench.log"
run_bench() { # $1 = label
    echo "bench/peer-chromium.sh: $1: $RUNS runs of $MIB MiB per mode in namespace $NS" >&2
    ip netns exec "$NS" "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx1g -Dbench.runs="$RUNS" -Dbench.mib="$MIB" -Dbench.launcher="$ROOT/rtc4j" ${PEER_BENCH_OPTS:-} \
        -cp "$CP" io.rtc4j.server.peer.ChromiumPeerCheck bench /usr/bin/chromium plain 2>&1 | tee -a "$LOG" \
        | grep '^BENCH ' | sed "s/^BENCH /BENCH rtt=$1 /" || true
}
: >"$LOG"
RESULTS="$(run_bench 0ms)"
NETEM="no"
if ip netns exec "$NS" tc qdisc add dev lo root netem delay 50ms 2>/dev/null; then
    NETEM="yes"
    RESULTS="$RESULTS"$'\n'"$(run_bench 100ms)"
else
    echo "bench/peer-chromium.sh: tc netem is not available on this kernel (sch_netem): no 100 ms RTT rows" >&2
fi

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
echo "| RTT | mode | MB/s (median) | time to open, ms (median) | bulk runs ok | open-only runs ok | vs Chromium->Chromium MB/s | vs Chromium->Chromium open | UDP drops (median) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for rtt in 0ms 100ms; do
    rows="$(grep "^BENCH rtt=$rtt " <<<"$RESULTS" || true)"
    [[ -n "$rows" ]] || continue
    anchor_mbps="$(grep 'mode=chromium->chromium kind=bulk ' <<<"$rows" | grep 'ok=true' | field mbps | median)"
    # time to open from the open-only connections (kind=open) where a mode has them, else from its bulk runs
    open_ms() { # $1 = mode
        local o
        o="$(grep "mode=$1 kind=open " <<<"$rows" | grep 'ok=true' || true)"
        [[ -n "$o" ]] || o="$(grep "mode=$1 " <<<"$rows" | grep 'ok=true' || true)"
        field connect_ms <<<"$o" | median
    }
    anchor_ms="$(open_ms 'chromium->chromium')"
    for mode in 'rtc4j->rtc4j' 'rtc4j->chromium' 'chromium->rtc4j' 'chromium->chromium' 'rtc4j->rtc4j(fresh-jvm)' \
        'rtc4j->chromium(fresh-jvm)'; do
        m="$(grep "mode=$mode kind=bulk " <<<"$rows" || true)"
        ok="$(grep -c 'ok=true' <<<"$m" || true)"
        mbps="$(grep 'ok=true' <<<"$m" | field mbps | median)"
        ms="$(open_ms "$mode")"
        opens="$(grep "mode=$mode kind=open " <<<"$rows" || true)"
        opens_ok="$(grep -c 'ok=true' <<<"$opens" || true)/$(grep -c . <<<"$opens" || true)"
        r1="$(awk -v a="$mbps" -v b="$anchor_mbps" 'BEGIN {if (b > 0 && a == a + 0) printf "%.2f", a / b; else print "n/a"}')"
        r2="$(awk -v a="$ms" -v b="$anchor_ms" 'BEGIN {if (b > 0 && a == a + 0) printf "%.2f", a / b; else print "n/a"}')"
        drops="$(grep 'ok=true' <<<"$m" | field udp_drops | median)"
        echo "| $rtt | $mode | $mbps | $ms | $ok/$RUNS | $opens_ok | $r1 | $r2 | $drops |"
    done
done
echo
echo "netem (100 ms RTT rows): $NETEM; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "full log: $LOG"
