package io.rtc4j.sdp;

import java.util.Objects;

/**
 * One {@code <type>=<value>} line of a session description (RFC 8866 §5), kept in the order it arrived.
 * {@link #value()} is the exact text after {@code =}; the serializer writes {@code type=value CRLF}.
 */
public sealed interface SdpLine permits SdpLine.Version, SdpLine.Origin, SdpLine.SessionName,
        SdpLine.ConnectionData, SdpLine.Bandwidth, SdpLine.Timing, SdpLine.Other, SdpAttribute {

    char type();

    String value();

    /** {@code v=0} (RFC 8866 §5.1). */
    record Version(int version) implements SdpLine {
        public Version {
            if (version != 0) throw new IllegalArgumentException("only SDP version 0 exists");
        }

        public char type() {
            return 'v';
        }

        public String value() {
            return Integer.toString(version);
        }
    }

    /** {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>} (RFC 8866 §5.2). */
    record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
            String address) implements SdpLine {
        public Origin {
            Tokens.requireToken(username, "origin username");
            Tokens.requireDigits(sessionId, "origin sess-id");
            Tokens.requireDigits(sessionVersion, "origin sess-version");
            Tokens.requireToken(netType, "origin nettype");
            Tokens.requireToken(addrType, "origin addrtype");
            Tokens.requireToken(address, "origin address");
        }

        public char type() {
            return 'o';
        }

        public String value() {
            return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
        }
    }

    /** {@code s=} (RFC 8866 §5.3): any text, JSEP uses "-". */
    record SessionName(String text) implements SdpLine {
        public SessionName {
            Tokens.requireText(text, "session name");
        }

        public char type() {
            return 's';
        }

        public String value() {
            return text;
        }
    }

    /** {@code c=<nettype> <addrtype> <connection-address>} (RFC 8866 §5.7); the address keeps any /ttl. */
    record ConnectionData(String netType, String addrType, String address) implements SdpLine {
        public ConnectionData {
            Tokens.requireToken(netType, "connection nettype");
            Tokens.requireToken(addrType, "connection addrtype");
            Tokens.requireToken(address, "connection address");
        }

        public static ConnectionData ip4(String address) {
            return new ConnectionData("IN", "IP4", address);
        }

        public char type() {
            return 'c';
        }

        public String value() {
            return netType + ' ' + addrType + ' ' + address;
        }
    }

    /** {@code b=<bwtype>:<bandwidth>} (RFC 8866 §5.8), bandwidth in kbit/s for AS/CT, bit/s for TIAS. */
    record Bandwidth(String bwType, long bandwidth) implements SdpLine {
        public Bandwidth {
            Tokens.requireToken(bwType, "bwtype");
            if (bwType.indexOf(':') >= 0) throw new IllegalArgumentException("bwtype contains ':'");
            if (bandwidth < 0) throw new IllegalArgumentException("negative bandwidth");
        }

        public char type() {
            return 'b';
        }

        public String value() {
            return bwType + ':' + bandwidth;
        }
    }

    /** {@code t=<start-time> <stop-time>} (RFC 8866 §5.9); JSEP uses {@code t=0 0}. */
    record Timing(long start, long stop) implements SdpLine {
        public Timing {
            if (start < 0 || stop < 0) throw new IllegalArgumentException("negative time");
        }

        public char type() {
            return 't';
        }

        public String value() {
            return start + " " + stop;
        }
    }

    /**
     * Any other line (i=, u=, e=, p=, r=, z=, k=, an unknown letter, or a known one whose text is valid but not
     * in the form the typed record would write back, e.g. {@code b=AS:030}), kept verbatim.
     */
    record Other(char type, String value) implements SdpLine {
        public Other {
            if (type < 'a' || type > 'z' || type == 'a' || type == 'm') {
                throw new IllegalArgumentException("not an opaque SDP line type: " + type);
            }
            Objects.requireNonNull(value, "value");
            Tokens.requireText(value, "line value");
        }
    }
}
