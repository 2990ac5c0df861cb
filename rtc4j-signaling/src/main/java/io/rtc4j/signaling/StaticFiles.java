package io.rtc4j.signaling;

import java.util.Optional;

/** Files the HTTP server serves at {@code GET /...}: the web app and the browser SDK. */
@FunctionalInterface
public interface StaticFiles {
    StaticFiles NONE = path -> Optional.empty();

    /**
     * @param path the request path, percent-decoded, starting with "/" (never containing "..", "\" or NUL:
     *     the server refuses those before asking)
     */
    Optional<StaticFile> find(String path);

    /** One file: bytes, Content-Type and a strong ETag (RFC 9110 §8.8.3). */
    record StaticFile(byte[] content, String contentType, String etag) {}
}
