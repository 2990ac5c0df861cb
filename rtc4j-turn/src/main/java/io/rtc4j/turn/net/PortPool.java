package io.rtc4j.turn.net;

import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * Free relay ports of one relay address, shared by the event loops (synchronized). Ports are handed out at
 * random (RFC 8656 §7.2 recommends unpredictable relay ports); a port that fails to bind because another
 * process holds it is simply skipped by the caller and put back.
 */
final class PortPool {
    private final int min;
    private final int max;
    private final BitSet used;
    private final RandomGenerator random;
    private int free;

    PortPool(int min, int max, RandomGenerator random) {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("bad relay port range " + min + "-" + max);
        }
        this.min = min;
        this.max = max;
        this.used = new BitSet(max - min + 1);
        this.random = random;
        this.free = max - min + 1;
    }

    /** A free port (even if asked), marked used; -1 when none. */
    synchronized int take(boolean even) {
        return takeWhere(even, false);
    }

    /** A free even port whose odd neighbour is also free, both marked used; -1 when none. */
    synchronized int takePair() {
        return takeWhere(true, true);
    }

    private int takeWhere(boolean even, boolean pair) {
        if (free < (pair ? 2 : 1)) {
            return -1;
        }
        int span = max - min + 1;
        int start = random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = min + (start + i) % span;
            if ((even && (port & 1) != 0) || used.get(port - min) || (pair && (port + 1 > max || used.get(port + 1 - min)))) {
                continue;
            }
            used.set(port - min);
            free--;
            if (pair) {
                used.set(port + 1 - min);
                free--;
            }
            return port;
        }
        return -1;
    }

    synchronized void give(int port) {
        if (port >= min && port <= max && used.get(port - min)) {
            used.clear(port - min);
            free++;
        }
    }

    synchronized int free() {
        return free;
    }
}
