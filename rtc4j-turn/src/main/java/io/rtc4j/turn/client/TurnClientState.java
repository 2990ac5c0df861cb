package io.rtc4j.turn.client;

/** The life of one {@link TurnClient}: one allocation, never reused. */
public enum TurnClientState {
    /** Created; {@link TurnClient#allocate} not called yet. */
    IDLE,
    /** The Allocate (and its credential round trips) is under way. */
    ALLOCATING,
    /** The allocation exists: data, permissions and channels can be used. */
    ALLOCATED,
    /** {@link TurnClient#release} sent the Refresh with LIFETIME 0. */
    RELEASING,
    /** Released, failed or expired. */
    CLOSED
}
