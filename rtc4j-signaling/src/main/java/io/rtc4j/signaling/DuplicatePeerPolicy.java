package io.rtc4j.signaling;

/** What a {@code join} with a peer id already present in the room does. */
public enum DuplicatePeerPolicy {
    /**
     * The new connection takes the id over (the default): the old connection gets {@code error/replaced} and
     * is closed, the room sees {@code peer_left} then {@code peer_joined} for the id. A client that reconnects
     * before the server noticed its old socket died gets straight back in.
     */
    REPLACE,
    /** The new connection gets {@code error/peer_id_taken} and stays unjoined. */
    REJECT
}
