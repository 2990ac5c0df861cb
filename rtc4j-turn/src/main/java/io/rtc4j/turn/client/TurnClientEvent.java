package io.rtc4j.turn.client;

import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.StunMethod;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What happened to the allocation, for the application (the ICE agent): named in the past tense. */
public sealed interface TurnClientEvent extends TurnClientOutput {

    /**
     * The Allocate succeeded (RFC 8656 §7.3): the relayed transport addresses (one per address family), the
     * server-reflexive address the server saw (XOR-MAPPED-ADDRESS; null if the server sent none) and the
     * lifetime granted. The client refreshes it from now on.
     */
    record TurnAllocated(List<InetSocketAddress> relayed, InetSocketAddress mapped, Duration lifetime)
            implements TurnClientEvent {
        public TurnAllocated {
            relayed = List.copyOf(relayed);
            Objects.requireNonNull(lifetime, "lifetime");
        }
    }

    /** A Refresh succeeded (RFC 8656 §8): the allocation lives {@code lifetime} from now. */
    record TurnRefreshed(Duration lifetime) implements TurnClientEvent {}

    /** The server installed a permission for {@code peer} (RFC 8656 §9); sent once per permission. */
    record TurnPermissionCreated(InetAddress peer) implements TurnClientEvent {}

    /** {@code channel} is bound to {@code peer} (RFC 8656 §11): data to the peer goes as ChannelData now. */
    record TurnChannelBound(int channel, InetSocketAddress peer) implements TurnClientEvent {}

    /**
     * Application data from {@code peer} through the relay, from a Data indication (RFC 8656 §10.4) or
     * ChannelData (§12.6). {@code data} is a read-only view valid until the next call into the client.
     */
    record TurnDataReceived(InetSocketAddress peer, ByteBuffer data) implements TurnClientEvent {}

    /**
     * A request failed for good (after the credential and stale-nonce retries of RFC 8489 §9.2.5).
     *
     * @param peer the peer of a CreatePermission (port 0) or ChannelBind; null for Allocate and Refresh
     * @param error the ERROR-CODE of the server's response ({@link Failure#ERROR_RESPONSE} only), else null
     */
    record TurnRequestFailed(StunMethod method, InetSocketAddress peer, Failure failure, ErrorCode error)
            implements TurnClientEvent {
        public TurnRequestFailed {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(failure, "failure");
            if ((failure == Failure.ERROR_RESPONSE) != (error != null)) {
                throw new IllegalArgumentException("an error code comes with ERROR_RESPONSE only");
            }
        }

        /** The RFC error code, 0 when the request failed without an error response. */
        public int code() {
            return error == null ? 0 : error.code();
        }
    }

    /** The allocation is gone or was never made; the client is closed. */
    record TurnAllocationEnded(EndReason reason) implements TurnClientEvent {}

    enum Failure {
        /** The server answered with an error response (RFC 8656 §7.4, §8, §9, §11; RFC 8489 §6.3.4). */
        ERROR_RESPONSE,
        /** No response (RFC 8489 §6.2: Rc transmissions and Rm RTO over UDP, Ti over TCP/TLS). */
        TIMED_OUT,
        /** Responses came but failed MESSAGE-INTEGRITY (RFC 8489 §9.2.5). */
        INTEGRITY_VIOLATED,
        /** A success response lacked what the RFC requires (XOR-RELAYED-ADDRESS of an Allocate). */
        BAD_RESPONSE
    }

    enum EndReason {
        /** {@link TurnClient#release} (Refresh with LIFETIME 0, RFC 8656 §8) completed or was abandoned. */
        RELEASED,
        /** The Allocate failed (see the {@link TurnRequestFailed} before this event). */
        ALLOCATE_FAILED,
        /** A Refresh got an error response: the server no longer has the allocation (437) or refuses it. */
        REFRESH_FAILED,
        /** The lifetime ran out without a successful Refresh. */
        EXPIRED,
        /**
         * The TCP/TLS connection closed ({@link TurnClient#streamClosed}): the server deletes an allocation
         * when its connection goes (RFC 8656 §3.1).
         */
        CONNECTION_CLOSED,
        /** The server's byte stream could not be framed (garbage, {@link TurnClientDrop#STREAM_CORRUPTED}): close the connection. */
        STREAM_CORRUPTED
    }
}
