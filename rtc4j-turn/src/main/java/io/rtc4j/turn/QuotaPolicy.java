package io.rtc4j.turn;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Allocation quotas as coturn's {@code --user-quota} and {@code --total-quota}: the most allocations one
 * username and the whole server may hold at once, 0 meaning unlimited. Thread-safe and shared by all event
 * loops. Only users holding allocations have a map entry, so memory is bounded by live allocations, not by
 * the names ever seen.
 */
public final class QuotaPolicy {

    private final int userQuota;
    private final int totalQuota;
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /** @param userQuota per-user limit, 0 = unlimited; @param totalQuota server limit, 0 = unlimited */
    public QuotaPolicy(int userQuota, int totalQuota) {
        if (userQuota < 0 || totalQuota < 0) {
            throw new IllegalArgumentException("quotas must be >= 0 (0 = unlimited): " + userQuota + ", " + totalQuota);
        }
        this.userQuota = userQuota;
        this.totalQuota = totalQuota;
    }

    /** No limits (allocations are still counted, for {@link #total()}). */
    public static QuotaPolicy unlimited() {
        return new QuotaPolicy(0, 0);
    }

    /**
     * Counts one allocation for {@code user} if both quotas allow it. On {@link QuotaResult#OK} the caller
     * owes exactly one {@link #release}; on any other result nothing was counted. The per-user quota is
     * checked first, so a user at its quota hears 486 even when the server is full too.
     */
    public QuotaResult tryAcquire(String user) {
        Objects.requireNonNull(user, "user");
        if (userQuota > 0) {
            boolean[] granted = new boolean[1];
            perUser.compute(user, (u, n) -> {
                int held = n == null ? 0 : n;
                if (held >= userQuota) {
                    return n; // unchanged; null stays absent
                }
                granted[0] = true;
                return held + 1;
            });
            if (!granted[0]) {
                return QuotaResult.USER_QUOTA_EXCEEDED;
            }
        }
        if (!acquireTotal()) {
            if (userQuota > 0) {
                releaseUser(user);
            }
            return QuotaResult.TOTAL_QUOTA_EXCEEDED;
        }
        return QuotaResult.OK;
    }

    /** Returns one allocation of {@code user}. Extra releases are ignored: counts never go below zero. */
    public void release(String user) {
        if (user == null) {
            return;
        }
        if (userQuota > 0 && !releaseUser(user)) {
            return; // this user holds nothing, so neither does the total on its behalf
        }
        total.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }

    /** Allocations counted now, server-wide. */
    public int total() {
        return total.get();
    }

    /** Allocations counted now for {@code user} (always 0 when the per-user quota is unlimited). */
    public int held(String user) {
        return perUser.getOrDefault(user, 0);
    }

    private boolean acquireTotal() {
        while (true) {
            int n = total.get();
            if (totalQuota > 0 && n >= totalQuota) {
                return false;
            }
            if (total.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Decrements, removing the entry at zero; false if the user held nothing. */
    private boolean releaseUser(String user) {
        boolean[] released = new boolean[1];
        perUser.computeIfPresent(user, (u, n) -> {
            released[0] = true;
            return n > 1 ? n - 1 : null;
        });
        return released[0];
    }

    @Override
    public String toString() {
        return "QuotaPolicy[user=" + userQuota + ", total=" + totalQuota + ", held=" + total.get() + "]";
    }
}
