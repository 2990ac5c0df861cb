package io.rtc4j.sdp;

/**
 * Bounds the parser enforces before it builds anything, so that a hostile description costs at most this much.
 * Browser descriptions are a few KiB (Chromium's audio + video + data offer: 6 KiB, 183 lines).
 */
public record SdpLimits(int maxChars, int maxLines, int maxLineLength, int maxMediaSections) {
    public static final SdpLimits DEFAULT = new SdpLimits(512 * 1024, 10_000, 8192, 1024);

    public SdpLimits {
        if (maxChars < 16 || maxLines < 3 || maxLineLength < 16 || maxMediaSections < 0) {
            throw new IllegalArgumentException("SDP limits too small: " + maxChars + "/" + maxLines + "/"
                    + maxLineLength + "/" + maxMediaSections);
        }
    }
}
