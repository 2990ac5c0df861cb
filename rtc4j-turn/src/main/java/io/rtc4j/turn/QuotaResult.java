package io.rtc4j.turn;

/** Outcome of {@link QuotaPolicy#tryAcquire}, with the Allocate error code the engine answers. */
public enum QuotaResult {
    /** Counted; the engine must {@link QuotaPolicy#release} once when the allocation ends. */
    OK(0),
    /**
     * The user holds its quota of allocations: 486 (Allocation Quota Reached), which RFC 8656 §7.2 defines
     * per username ("SHOULD define it based on the username").
     */
    USER_QUOTA_EXCEEDED(486),
    /**
     * The server holds its total quota: 508 (Insufficient Capacity), which RFC 8656 defines as "unable to carry
     * out the request due to some capacity limit being reached"; this user did nothing wrong and another
     * server may succeed. (coturn checks both quotas in one callback and answers 486 for either.)
     */
    TOTAL_QUOTA_EXCEEDED(508);

    private final int errorCode;

    QuotaResult(int errorCode) {
        this.errorCode = errorCode;
    }

    /** The STUN error code for an Allocate error response, or 0 for {@link #OK}. */
    public int errorCode() {
        return errorCode;
    }
}
