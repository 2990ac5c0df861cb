package io.rtc4j.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An {@code a=} line (RFC 8866 §5.13): {@code a=<name>} (a flag, {@link #value()} null) or
 * {@code a=<name>:<value>}. Attributes rtc4j understands are typed records; everything else is
 * {@link Unknown} and is written back exactly as it came.
 */
public sealed interface SdpAttribute extends SdpLine permits SdpAttribute.Group, SdpAttribute.Mid,
        SdpAttribute.IceUfrag, SdpAttribute.IcePwd, SdpAttribute.IceOptions, SdpAttribute.IceLite,
        SdpAttribute.Fingerprint, SdpAttribute.Setup, SdpAttribute.SctpPort, SdpAttribute.MaxMessageSize,
        SdpAttribute.SctpMap, SdpCandidate, SdpAttribute.EndOfCandidates, SdpAttribute.RtpMap, SdpAttribute.Fmtp,
        SdpAttribute.RtcpFb, SdpAttribute.ExtMap, SdpAttribute.Ssrc, SdpAttribute.SsrcGroup, SdpAttribute.Msid,
        SdpAttribute.Rid, SdpAttribute.Simulcast, SdpAttribute.Direction, SdpAttribute.RtcpMux,
        SdpAttribute.Unknown {

    /** The attribute name (att-field). */
    String name();

    /** The text after {@code name:}, or null for a flag attribute. */
    String attributeValue();

    @Override
    default char type() {
        return 'a';
    }

    @Override
    default String value() {
        String v = attributeValue();
        return v == null ? name() : name() + ':' + v;
    }

    /** {@code a=group:<semantics> <mid>*} (RFC 5888 §5, BUNDLE: RFC 9143). */
    record Group(String semantics, List<String> mids) implements SdpAttribute {
        public Group {
            Tokens.requireToken(semantics, "group semantics");
            mids = List.copyOf(mids);
            for (String m : mids) Tokens.requireToken(m, "group identification-tag");
        }

        public static Group bundle(List<String> mids) {
            return new Group("BUNDLE", mids);
        }

        public boolean isBundle() {
            return semantics.equals("BUNDLE");
        }

        public String name() {
            return "group";
        }

        public String attributeValue() {
            return mids.isEmpty() ? semantics : semantics + ' ' + String.join(" ", mids);
        }
    }

    /** {@code a=mid:<identification-tag>} (RFC 5888 §4). */
    record Mid(String id) implements SdpAttribute {
        public Mid {
            Tokens.requireToken(id, "mid");
        }

        public String name() {
            return "mid";
        }

        public String attributeValue() {
            return id;
        }
    }

    /** {@code a=ice-ufrag} (RFC 8839 §5.4); the JSEP layer checks the 4-256 ice-char rule. */
    record IceUfrag(String ufrag) implements SdpAttribute {
        public IceUfrag {
            Tokens.requireToken(ufrag, "ice-ufrag");
        }

        public String name() {
            return "ice-ufrag";
        }

        public String attributeValue() {
            return ufrag;
        }
    }

    /** {@code a=ice-pwd} (RFC 8839 §5.4); the JSEP layer checks the 22-256 ice-char rule. */
    record IcePwd(String pwd) implements SdpAttribute {
        public IcePwd {
            Tokens.requireToken(pwd, "ice-pwd");
        }

        public String name() {
            return "ice-pwd";
        }

        public String attributeValue() {
            return pwd;
        }
    }

    /** {@code a=ice-options:<option>+} (RFC 8839 §5.6), e.g. trickle (RFC 8840). */
    record IceOptions(List<String> options) implements SdpAttribute {
        public IceOptions {
            options = List.copyOf(options);
            if (options.isEmpty()) throw new IllegalArgumentException("ice-options needs at least one option");
            for (String o : options) Tokens.requireToken(o, "ice-option");
        }

        public boolean has(String option) {
            return options.contains(option);
        }

        public String name() {
            return "ice-options";
        }

        public String attributeValue() {
            return String.join(" ", options);
        }
    }

    /** {@code a=ice-lite} (RFC 8839 §5.3), session level. */
    record IceLite() implements SdpAttribute {
        public String name() {
            return "ice-lite";
        }

        public String attributeValue() {
            return null;
        }
    }

    /**
     * {@code a=fingerprint:<hash-func> <XX:XX:...>} (RFC 8122 §5). The hash function and the hex digits keep
     * the case they arrived in; a known hash function must have its digest length.
     */
    record Fingerprint(String hashFunction, String fingerprint) implements SdpAttribute {
        public Fingerprint {
            Tokens.requireToken(hashFunction, "fingerprint hash function");
            Objects.requireNonNull(fingerprint, "fingerprint");
            int n = fingerprint.length();
            if (n < 2 || (n + 1) % 3 != 0) throw new IllegalArgumentException("fingerprint is not XX:XX:..: " + fingerprint);
            for (int i = 0; i < n; i++) {
                char c = fingerprint.charAt(i);
                boolean ok = i % 3 == 2 ? c == ':' : Character.digit(c, 16) >= 0;
                if (!ok) throw new IllegalArgumentException("fingerprint is not XX:XX:..: " + fingerprint);
            }
            int expected = digestLength(hashFunction);
            if (expected > 0 && (n + 1) / 3 != expected) {
                throw new IllegalArgumentException(hashFunction + " fingerprint needs " + expected + " bytes, has " + (n + 1) / 3);
            }
        }

        /** Fingerprint of a digest, upper-case hex as RFC 8122 §5 writes it. */
        public static Fingerprint of(String hashFunction, byte[] digest) {
            StringBuilder sb = new StringBuilder(digest.length * 3);
            for (byte b : digest) {
                if (sb.length() > 0) sb.append(':');
                sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 15, 16)));
                sb.append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
            }
            return new Fingerprint(hashFunction, sb.toString());
        }

        /** Digest bytes for a known hash function, -1 for another token (RFC 8122 hash-func allows tokens). */
        static int digestLength(String hashFunction) {
            return switch (hashFunction.toLowerCase(Locale.ROOT)) {
                case "md2", "md5" -> 16;
                case "sha-1" -> 20;
                case "sha-224" -> 28;
                case "sha-256" -> 32;
                case "sha-384" -> 48;
                case "sha-512" -> 64;
                default -> -1;
            };
        }

        /** The digest bytes. */
        public byte[] digest() {
            byte[] out = new byte[(fingerprint.length() + 1) / 3];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) Integer.parseInt(fingerprint, i * 3, i * 3 + 2, 16);
            }
            return out;
        }

        /** The JCA MessageDigest name ("SHA-256"), or null for a hash function the JDK does not name alike. */
        public String jcaAlgorithm() {
            String h = hashFunction.toLowerCase(Locale.ROOT);
            return switch (h) {
                case "md2", "md5" -> h.toUpperCase(Locale.ROOT);
                case "sha-1", "sha-224", "sha-256", "sha-384", "sha-512" -> h.toUpperCase(Locale.ROOT);
                default -> null;
            };
        }

        public String name() {
            return "fingerprint";
        }

        public String attributeValue() {
            return hashFunction + ' ' + fingerprint;
        }
    }

    /** {@code a=setup} (RFC 4145 §4, for DTLS RFC 8842 §5). */
    record Setup(SetupRole role) implements SdpAttribute {
        public Setup {
            Objects.requireNonNull(role, "role");
        }

        public String name() {
            return "setup";
        }

        public String attributeValue() {
            return role.sdp();
        }
    }

    /** {@code a=sctp-port} (RFC 8841 §5). */
    record SctpPort(int port) implements SdpAttribute {
        public SctpPort {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("sctp-port out of range: " + port);
        }

        public String name() {
            return "sctp-port";
        }

        public String attributeValue() {
            return Integer.toString(port);
        }
    }

    /** {@code a=max-message-size} (RFC 8841 §6); 0 means no limit. */
    record MaxMessageSize(long size) implements SdpAttribute {
        public MaxMessageSize {
            if (size < 0) throw new IllegalArgumentException("negative max-message-size");
        }

        public String name() {
            return "max-message-size";
        }

        public String attributeValue() {
            return Long.toString(size);
        }
    }

    /** Legacy {@code a=sctpmap:<port> <protocol> [<streams>]} (draft-ietf-mmusic-sctp-sdp-05). */
    record SctpMap(int port, String protocol, OptionalInt streams) implements SdpAttribute {
        public SctpMap {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("sctpmap port out of range: " + port);
            Tokens.requireToken(protocol, "sctpmap protocol");
            Objects.requireNonNull(streams, "streams");
            if (streams.isPresent() && streams.getAsInt() < 0) throw new IllegalArgumentException("negative streams");
        }

        public String name() {
            return "sctpmap";
        }

        public String attributeValue() {
            return port + " " + protocol + (streams.isPresent() ? " " + streams.getAsInt() : "");
        }
    }

    /** {@code a=end-of-candidates} (RFC 8840 §8.2). */
    record EndOfCandidates() implements SdpAttribute {
        public String name() {
            return "end-of-candidates";
        }

        public String attributeValue() {
            return null;
        }
    }

    /** {@code a=rtpmap:<pt> <encoding>/<clock rate>[/<encoding parameters>]} (RFC 8866 §6.6); params or null. */
    record RtpMap(int payloadType, String encodingName, long clockRate, String encodingParameters)
            implements SdpAttribute {
        public RtpMap {
            if (payloadType < 0 || payloadType > 127) throw new IllegalArgumentException("payload type out of range");
            Tokens.requireToken(encodingName, "encoding name");
            if (encodingName.indexOf('/') >= 0) throw new IllegalArgumentException("encoding name contains '/'");
            if (clockRate < 0) throw new IllegalArgumentException("negative clock rate");
            if (encodingParameters != null) Tokens.requireToken(encodingParameters, "encoding parameters");
        }

        public String name() {
            return "rtpmap";
        }

        public String attributeValue() {
            return payloadType + " " + encodingName + '/' + clockRate + (encodingParameters == null ? "" : "/" + encodingParameters);
        }
    }

    /** {@code a=fmtp:<format> <parameters>} (RFC 8866 §6.15). */
    record Fmtp(String format, String parameters) implements SdpAttribute {
        public Fmtp {
            Tokens.requireToken(format, "fmtp format");
            Tokens.requireText(parameters, "fmtp parameters");
        }

        public String name() {
            return "fmtp";
        }

        public String attributeValue() {
            return format + ' ' + parameters;
        }
    }

    /** {@code a=rtcp-fb:<pt|*> <type> [<parameters>]} (RFC 4585 §4.2); parameters or null. */
    record RtcpFb(String payloadType, String feedbackType, String parameters) implements SdpAttribute {
        public RtcpFb {
            Tokens.requireToken(payloadType, "rtcp-fb payload type");
            Tokens.requireToken(feedbackType, "rtcp-fb type");
            if (parameters != null) Tokens.requireText(parameters, "rtcp-fb parameters");
        }

        public String name() {
            return "rtcp-fb";
        }

        public String attributeValue() {
            return payloadType + ' ' + feedbackType + (parameters == null ? "" : " " + parameters);
        }
    }

    /** {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285 §8); direction, attributes or null. */
    record ExtMap(int id, MediaDirection direction, String uri, String extensionAttributes) implements SdpAttribute {
        public ExtMap {
            if (id < 1 || id > 4095) throw new IllegalArgumentException("extmap id out of range: " + id);
            Tokens.requireToken(uri, "extmap uri");
            if (extensionAttributes != null) Tokens.requireText(extensionAttributes, "extmap attributes");
        }

        public String name() {
            return "extmap";
        }

        public String attributeValue() {
            return id + (direction == null ? "" : "/" + direction.sdp()) + ' ' + uri
                    + (extensionAttributes == null ? "" : " " + extensionAttributes);
        }
    }

    /** {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 §4.1); value or null. */
    record Ssrc(long ssrc, String attribute, String attributeValueText) implements SdpAttribute {
        public Ssrc {
            if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("ssrc out of range");
            Tokens.requireToken(attribute, "ssrc attribute");
            if (attribute.indexOf(':') >= 0) throw new IllegalArgumentException("ssrc attribute contains ':'");
            if (attributeValueText != null) Tokens.requireText(attributeValueText, "ssrc attribute value");
        }

        public String name() {
            return "ssrc";
        }

        public String attributeValue() {
            return ssrc + " " + attribute + (attributeValueText == null ? "" : ":" + attributeValueText);
        }
    }

    /** {@code a=ssrc-group:<semantics> <ssrc>*} (RFC 5576 §4.2). */
    record SsrcGroup(String semantics, List<Long> ssrcs) implements SdpAttribute {
        public SsrcGroup {
            Tokens.requireToken(semantics, "ssrc-group semantics");
            ssrcs = List.copyOf(ssrcs);
            for (long s : ssrcs) if (s < 0 || s > 0xFFFF_FFFFL) throw new IllegalArgumentException("ssrc out of range");
        }

        public String name() {
            return "ssrc-group";
        }

        public String attributeValue() {
            StringBuilder sb = new StringBuilder(semantics);
            for (long s : ssrcs) sb.append(' ').append(s);
            return sb.toString();
        }
    }

    /** {@code a=msid:<stream id> [<track id>]} (RFC 8830 §2); track or null. */
    record Msid(String streamId, String trackId) implements SdpAttribute {
        public Msid {
            Tokens.requireToken(streamId, "msid stream id");
            if (trackId != null) Tokens.requireToken(trackId, "msid track id");
        }

        public String name() {
            return "msid";
        }

        public String attributeValue() {
            return trackId == null ? streamId : streamId + ' ' + trackId;
        }
    }

    /** {@code a=rid:<id> <send|recv> [<restrictions>]} (RFC 8851 §10); restrictions or null. */
    record Rid(String id, String direction, String restrictions) implements SdpAttribute {
        public Rid {
            Tokens.requireToken(id, "rid id");
            if (!direction.equals("send") && !direction.equals("recv")) throw new IllegalArgumentException("rid direction must be send or recv");
            if (restrictions != null) Tokens.requireToken(restrictions, "rid restrictions");
        }

        public String name() {
            return "rid";
        }

        public String attributeValue() {
            return id + ' ' + direction + (restrictions == null ? "" : " " + restrictions);
        }
    }

    /**
     * {@code a=simulcast:<dir> <alternatives> [<dir> <alternatives>]} (RFC 8853 §5.1): the first and optional
     * second direction ("send"/"recv") with their stream lists kept as text; second pair null if absent.
     */
    record Simulcast(String firstDirection, String firstStreams, String secondDirection, String secondStreams)
            implements SdpAttribute {
        public Simulcast {
            checkDirection(firstDirection);
            Tokens.requireToken(firstStreams, "simulcast streams");
            if ((secondDirection == null) != (secondStreams == null)) throw new IllegalArgumentException("simulcast pair incomplete");
            if (secondDirection != null) {
                checkDirection(secondDirection);
                if (secondDirection.equals(firstDirection)) throw new IllegalArgumentException("simulcast direction repeated");
                Tokens.requireToken(secondStreams, "simulcast streams");
            }
        }

        private static void checkDirection(String d) {
            if (!"send".equals(d) && !"recv".equals(d)) throw new IllegalArgumentException("simulcast direction must be send or recv");
        }

        public String name() {
            return "simulcast";
        }

        public String attributeValue() {
            return firstDirection + ' ' + firstStreams + (secondDirection == null ? "" : " " + secondDirection + ' ' + secondStreams);
        }
    }

    /** {@code a=sendrecv | sendonly | recvonly | inactive} (RFC 8866 §6.7). */
    record Direction(MediaDirection direction) implements SdpAttribute {
        public Direction {
            Objects.requireNonNull(direction, "direction");
        }

        public String name() {
            return direction.sdp();
        }

        public String attributeValue() {
            return null;
        }
    }

    /** {@code a=rtcp-mux} (RFC 5761 §5.1.1). */
    record RtcpMux() implements SdpAttribute {
        public String name() {
            return "rtcp-mux";
        }

        public String attributeValue() {
            return null;
        }
    }

    /** Any attribute rtc4j does not type (or whose text a typed record would not write back identically). */
    record Unknown(String name, String attributeValue) implements SdpAttribute {
        public Unknown {
            Tokens.requireToken(name, "attribute name");
            if (name.indexOf(':') >= 0) throw new IllegalArgumentException("attribute name contains ':'");
            if (attributeValue != null) Tokens.requireText(attributeValue, "attribute value");
        }
    }
}
