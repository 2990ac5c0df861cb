#!/usr/bin/env bash
# TURN/STUN load benchmark: rtc4j's TURN server vs coturn, side by side on this machine, loopback only.
# Builds the modules, then runs io.rtc4j.bench.turn.TurnBench; extra arguments go to the tool
# (e.g. --quick, --runs 5, --only coturn, --verbose, --help). The Markdown table goes to stdout, progress
# to stderr, so `bench/turn.sh > turn.md` keeps just the table. Needs coturn (apt-get install coturn) and
# a JDK >= 21 (JAVA_HOME, else the newest under /usr/lib/jvm). Set SKIP_BUILD=1 to reuse the last build.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
source "$ROOT/scripts/find-java.sh"

JAVA="$(require_java bench/turn.sh)"
if ! command -v turnserver >/dev/null 2>&1; then
    echo "bench/turn.sh: coturn's turnserver is not on the PATH (apt-get install coturn)" >&2
    exit 1
fi

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "bench/turn.sh: building (./mvnw -q -B -DskipTests package)" >&2
    ./mvnw -q -B -DskipTests package >&2
fi

CP="rtc4j-bench/target/classes:rtc4j-testkit/target/classes:rtc4j-stun/target/classes:rtc4j-turn/target/classes"
# rtc4j's server runs from its shaded jar, in its own JVM (the same java), so its CPU and RSS are its own.
exec "$JAVA" -Xms64m -Xmx512m \
    -Drtc4j.test.process-logs="$ROOT/rtc4j-bench/target/process-logs" \
    -cp "$CP" io.rtc4j.bench.turn.TurnBench \
    --rtc4j-cp "$ROOT/rtc4j-server/target/rtc4j.jar" "$@"
