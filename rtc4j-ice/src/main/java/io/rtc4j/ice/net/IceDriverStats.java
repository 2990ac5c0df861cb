package io.rtc4j.ice.net;

/**
 * Counters of one driver (or one shared-port mux), a snapshot.
 *
 * @param datagramsReceived everything read from the sockets
 * @param datagramsSent everything written to the sockets (checks, TURN, application)
 * @param droppedMalformed empty datagrams and first bytes no protocol claims (RFC 7983 4-15)
 * @param droppedOversize datagrams longer than the configured maximum
 * @param droppedByAgent STUN the ICE agent refused (not a check for us, bad credentials, unknown response)
 * @param droppedUnrouted datagrams nobody owns: unknown ufrag or 5-tuple (mux), ChannelData not from our TURN
 *     server, direct traffic while relay-only, application datagrams from an address that never passed an
 *     authenticated check
 * @param applicationReceived datagrams handed to {@link IceDriverListener#onDatagram}
 * @param sendFailures sends that failed: no selected pair, a full send queue or socket buffer, an I/O error
 * @param listenerErrors exceptions thrown by the listener
 * @param sourceTableSize entries in the mux's 5-tuple table (0 for a driver)
 */
public record IceDriverStats(
        long datagramsReceived,
        long datagramsSent,
        long droppedMalformed,
        long droppedOversize,
        long droppedByAgent,
        long droppedUnrouted,
        long applicationReceived,
        long sendFailures,
        long listenerErrors,
        int sourceTableSize) {}
