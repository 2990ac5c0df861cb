package io.rtc4j.sdp;

import java.util.Objects;

/**
 * The JSEP signaling state machine (RFC 8829 §3.2 and §4.1.8-4.1.10, W3C webrtc §4.4.1.5-6) with the pending
 * and current descriptions. Sans-IO and not thread-safe: the owning peer calls it from one thread. Misuse (a
 * description type not allowed in the current state, anything after {@link #close()}) is an
 * IllegalStateException that names the state, and leaves the machine unchanged.
 */
public final class JsepSignaling {
    private SignalingState state = SignalingState.STABLE;
    private SessionDescription currentLocal;
    private SessionDescription pendingLocal;
    private SessionDescription currentRemote;
    private SessionDescription pendingRemote;

    public SignalingState state() {
        return state;
    }

    /** setLocalDescription: OFFER, PRANSWER, ANSWER (with a description) or ROLLBACK (description null). */
    public SignalingState setLocal(SdpType type, SessionDescription description) {
        checkOpen("setLocal " + type);
        switch (type) {
            case OFFER -> {
                require(type, true, SignalingState.STABLE, SignalingState.HAVE_LOCAL_OFFER);
                pendingLocal = Objects.requireNonNull(description, "description");
                state = SignalingState.HAVE_LOCAL_OFFER;
            }
            case PRANSWER -> {
                require(type, true, SignalingState.HAVE_REMOTE_OFFER, SignalingState.HAVE_LOCAL_PRANSWER);
                pendingLocal = Objects.requireNonNull(description, "description");
                state = SignalingState.HAVE_LOCAL_PRANSWER;
            }
            case ANSWER -> {
                require(type, true, SignalingState.HAVE_REMOTE_OFFER, SignalingState.HAVE_LOCAL_PRANSWER);
                currentLocal = Objects.requireNonNull(description, "description");
                currentRemote = pendingRemote;
                pendingLocal = null;
                pendingRemote = null;
                state = SignalingState.STABLE;
            }
            case ROLLBACK -> rollback(true);
        }
        return state;
    }

    /** setRemoteDescription: OFFER, PRANSWER, ANSWER (with a description) or ROLLBACK (description null). */
    public SignalingState setRemote(SdpType type, SessionDescription description) {
        checkOpen("setRemote " + type);
        switch (type) {
            case OFFER -> {
                if (state == SignalingState.HAVE_LOCAL_OFFER) {
                    throw new IllegalStateException("glare: setRemote OFFER is invalid in HAVE_LOCAL_OFFER; roll back the local offer first");
                }
                require(type, false, SignalingState.STABLE, SignalingState.HAVE_REMOTE_OFFER);
                pendingRemote = Objects.requireNonNull(description, "description");
                state = SignalingState.HAVE_REMOTE_OFFER;
            }
            case PRANSWER -> {
                require(type, false, SignalingState.HAVE_LOCAL_OFFER, SignalingState.HAVE_REMOTE_PRANSWER);
                pendingRemote = Objects.requireNonNull(description, "description");
                state = SignalingState.HAVE_REMOTE_PRANSWER;
            }
            case ANSWER -> {
                require(type, false, SignalingState.HAVE_LOCAL_OFFER, SignalingState.HAVE_REMOTE_PRANSWER);
                currentRemote = Objects.requireNonNull(description, "description");
                currentLocal = pendingLocal;
                pendingLocal = null;
                pendingRemote = null;
                state = SignalingState.STABLE;
            }
            case ROLLBACK -> rollback(false);
        }
        return state;
    }

    /** Discards the pending offer (W3C §4.4.1.5: only in have-local-offer or have-remote-offer). */
    private void rollback(boolean local) {
        if (state != SignalingState.HAVE_LOCAL_OFFER && state != SignalingState.HAVE_REMOTE_OFFER) {
            throw new IllegalStateException((local ? "setLocal" : "setRemote") + " ROLLBACK is invalid in " + state);
        }
        pendingLocal = null;
        pendingRemote = null;
        state = SignalingState.STABLE;
    }

    public void close() {
        state = SignalingState.CLOSED;
    }

    public SessionDescription currentLocalDescription() {
        return currentLocal;
    }

    public SessionDescription pendingLocalDescription() {
        return pendingLocal;
    }

    public SessionDescription currentRemoteDescription() {
        return currentRemote;
    }

    public SessionDescription pendingRemoteDescription() {
        return pendingRemote;
    }

    /** Pending if there is one, else current (W3C localDescription). */
    public SessionDescription localDescription() {
        return pendingLocal != null ? pendingLocal : currentLocal;
    }

    public SessionDescription remoteDescription() {
        return pendingRemote != null ? pendingRemote : currentRemote;
    }

    private void checkOpen(String what) {
        if (state == SignalingState.CLOSED) throw new IllegalStateException(what + " is invalid in CLOSED: signaling is closed");
    }

    private void require(SdpType type, boolean local, SignalingState a, SignalingState b) {
        if (state != a && state != b) {
            throw new IllegalStateException((local ? "setLocal " : "setRemote ") + type + " is invalid in " + state);
        }
    }
}
