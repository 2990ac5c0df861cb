package io.rtc4j.turn;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;

/**
 * Channel bindings of one allocation (RFC 8656 §12): number <-> peer transport address, each with an
 * expiry. Clients bind a handful of channels, so parallel arrays scanned linearly beat hashing here and
 * never box the channel number on the per-packet path. Not thread-safe.
 */
final class ChannelTable {
    private int[] numbers = new int[2];
    private InetSocketAddress[] peers = new InetSocketAddress[2];
    private Instant[] expiries = new Instant[2];
    private int size;

    /** The peer bound to {@code number} and still valid at {@code now}, or null. */
    InetSocketAddress peerOf(int number, Instant now) {
        for (int i = 0; i < size; i++) {
            if (numbers[i] == number) {
                return expiries[i].isAfter(now) ? peers[i] : null;
            }
        }
        return null;
    }

    /** The channel bound to {@code peer} and valid at {@code now}, or -1. */
    int channelOf(InetSocketAddress peer, Instant now) {
        for (int i = 0; i < size; i++) {
            if (peers[i].equals(peer)) {
                return expiries[i].isAfter(now) ? numbers[i] : -1;
            }
        }
        return -1;
    }

    /**
     * Binds or refreshes. RFC 8656 §11.2: a number already bound to another peer, or a peer already bound to
     * another number, is a 400; returns false then.
     */
    boolean bind(int number, InetSocketAddress peer, Instant expiry) {
        for (int i = 0; i < size; i++) {
            boolean sameNumber = numbers[i] == number;
            boolean samePeer = peers[i].equals(peer);
            if (sameNumber && samePeer) {
                expiries[i] = expiry;
                return true;
            }
            if (sameNumber || samePeer) {
                return false;
            }
        }
        if (size == numbers.length) {
            int n = size * 2;
            numbers = Arrays.copyOf(numbers, n);
            peers = Arrays.copyOf(peers, n);
            expiries = Arrays.copyOf(expiries, n);
        }
        numbers[size] = number;
        peers[size] = peer;
        expiries[size] = expiry;
        size++;
        return true;
    }

    /**
     * Forgets bindings that expired before {@code now} and returns the earliest remaining expiry, or null.
     * (RFC 8656 §12 also asks that a number stay unused for 5 minutes after expiry; a rebind to another peer
     * within that window is accepted here, which only matters to a client confused about its own bindings.)
     */
    Instant sweep(Instant now) {
        Instant earliest = null;
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (expiries[r].isAfter(now)) {
                numbers[w] = numbers[r];
                peers[w] = peers[r];
                expiries[w] = expiries[r];
                if (earliest == null || expiries[w].isBefore(earliest)) {
                    earliest = expiries[w];
                }
                w++;
            }
        }
        Arrays.fill(peers, w, size, null);
        Arrays.fill(expiries, w, size, null);
        size = w;
        return earliest;
    }

    int size() {
        return size;
    }
}
