package io.rtc4j.testkit.netns;

/** Building or tearing down a namespace topology failed; the message carries the command and its output. */
public final class NetnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NetnsException(String message) {
        super(message);
    }

    public NetnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
