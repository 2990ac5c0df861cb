# Shared by ./rtc4j and the bench scripts (source it): find_java prints a java launcher of a JDK >= MIN_JAVA,
# preferring JAVA_HOME, else the newest under /usr/lib/jvm; nothing when there is none. require_java NAME
# prints the same, or says on stderr (as NAME) that none was found and fails.
MIN_JAVA=21

# Prints the feature version ("major") of a java launcher, or nothing if it does not run.
# Handles "1.8.0_392" (-> 8), "17.0.15", "21-ea", "25".
java_major() {
    local line version
    line="$("$1" -version 2>&1 | grep -m1 -i 'version' || true)"
    version="$(printf '%s\n' "$line" | sed -n 's/.*version "\([^"]*\)".*/\1/p')"
    [[ -n "$version" ]] || return 0
    if [[ "$version" == 1.* ]]; then
        version="${version#1.}"
    fi
    printf '%s\n' "${version%%[!0-9]*}"
}

find_java() {
    local candidate major best="" best_major=0
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        major="$(java_major "$JAVA_HOME/bin/java")"
        if [[ -n "$major" && "$major" -ge "$MIN_JAVA" ]]; then
            printf '%s\n' "$JAVA_HOME/bin/java"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x "$candidate" ]] || continue
        major="$(java_major "$candidate")"
        if [[ -n "$major" && "$major" -ge "$MIN_JAVA" && "$major" -gt "$best_major" ]]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    [[ -n "$best" ]] && printf '%s\n' "$best"
    return 0
}

# For scripts: JAVA="$(require_java bench/x.sh)" (under set -e the script stops when there is no JDK).
require_java() {
    local java
    java="$(find_java)"
    if [[ -z "$java" ]]; then
        echo "$1: a JDK ${MIN_JAVA} or newer is required (JAVA_HOME or /usr/lib/jvm/*)" >&2
        return 1
    fi
    printf '%s\n' "$java"
}
