package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpParameter.AddStreams;
import io.rtc4j.sctp.SctpParameter.ForwardTsnSupported;
import io.rtc4j.sctp.SctpParameter.IncomingSsnResetRequest;
import io.rtc4j.sctp.SctpParameter.OutgoingSsnResetRequest;
import io.rtc4j.sctp.SctpParameter.ReconfigResponse;
import io.rtc4j.sctp.SctpParameter.SsnTsnResetRequest;
import io.rtc4j.sctp.SctpParameter.StateCookie;
import io.rtc4j.sctp.SctpParameter.SupportedExtensions;
import io.rtc4j.sctp.SctpParameter.Unknown;
import io.rtc4j.sctp.SctpParameter.ZeroChecksumAcceptable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** TLV parameters of INIT/INIT ACK (RFC 9260 §3.2.1) and RE-CONFIG (RFC 6525 §4), padded to 4 bytes. */
final class SctpParameterCodec {
    private SctpParameterCodec() {}

    static List<SctpParameter> decodeAll(ByteBuffer v) throws SctpParseException {
        List<SctpParameter> out = new ArrayList<>();
        while (v.remaining() > 0) {
            SctpCodec.need(v, 4, "parameter header");
            int type = v.getShort() & 0xFFFF;
            int len = v.getShort() & 0xFFFF;
            if (len < 4 || len - 4 > v.remaining()) {
                throw new SctpParseException("bad parameter length " + len + " for type " + type);
            }
            ByteBuffer p = v.slice(v.position(), len - 4);
            v.position(v.position() + len - 4);
            v.position(v.position() + Math.min(SctpCodec.pad(len), v.remaining()));
            out.add(decode(type, p));
        }
        return out;
    }

    private static SctpParameter decode(int type, ByteBuffer p) throws SctpParseException {
        return switch (type) {
            case SctpParameter.STATE_COOKIE -> new StateCookie(SctpCodec.rest(p));
            case SctpParameter.SUPPORTED_EXTENSIONS -> new SupportedExtensions(SctpCodec.rest(p));
            case SctpParameter.FORWARD_TSN_SUPPORTED -> new ForwardTsnSupported();
            case SctpParameter.ZERO_CHECKSUM_ACCEPTABLE -> {
                SctpCodec.need(p, 4, "Zero Checksum Acceptable");
                yield new ZeroChecksumAcceptable(p.getInt() & 0xFFFF_FFFFL);
            }
            case SctpParameter.OUTGOING_SSN_RESET -> {
                SctpCodec.need(p, 12, "Outgoing SSN Reset Request");
                int req = p.getInt();
                int resp = p.getInt();
                int tsn = p.getInt();
                yield new OutgoingSsnResetRequest(req, resp, tsn, streams(p));
            }
            case SctpParameter.INCOMING_SSN_RESET -> {
                SctpCodec.need(p, 4, "Incoming SSN Reset Request");
                int req = p.getInt();
                yield new IncomingSsnResetRequest(req, streams(p));
            }
            case SctpParameter.SSN_TSN_RESET -> {
                SctpCodec.need(p, 4, "SSN/TSN Reset Request");
                yield new SsnTsnResetRequest(p.getInt());
            }
            case SctpParameter.RECONFIG_RESPONSE -> {
                SctpCodec.need(p, 8, "Re-configuration Response");
                int seq = p.getInt();
                int result = p.getInt();
                if (p.remaining() >= 8) {
                    yield new ReconfigResponse(seq, result, true, p.getInt(), p.getInt());
                }
                yield ReconfigResponse.of(seq, result);
            }
            case SctpParameter.ADD_OUTGOING_STREAMS, SctpParameter.ADD_INCOMING_STREAMS -> {
                SctpCodec.need(p, 8, "Add Streams");
                int req = p.getInt();
                int n = p.getShort() & 0xFFFF;
                yield new AddStreams(type == SctpParameter.ADD_OUTGOING_STREAMS, req, n);
            }
            default -> new Unknown(type, SctpCodec.rest(p));
        };
    }

    private static List<Integer> streams(ByteBuffer p) throws SctpParseException {
        if (p.remaining() % 2 != 0) {
            throw new SctpParseException("odd stream list length");
        }
        List<Integer> s = new ArrayList<>(p.remaining() / 2);
        while (p.hasRemaining()) {
            s.add(p.getShort() & 0xFFFF);
        }
        return s;
    }

    /** Bytes of all parameters, each padded but the last (RFC 9260 §3.2: chunk length excludes its padding). */
    static int size(List<SctpParameter> params) {
        int n = 0;
        for (SctpParameter p : params) {
            n += SctpCodec.padded(length(p));
        }
        return params.isEmpty() ? 0 : n - SctpCodec.pad(length(params.get(params.size() - 1)));
    }

    private static int length(SctpParameter p) {
        return 4 + switch (p) {
            case StateCookie c -> c.cookie().length;
            case SupportedExtensions e -> e.chunkTypes().length;
            case ForwardTsnSupported f -> 0;
            case ZeroChecksumAcceptable z -> 4;
            case OutgoingSsnResetRequest r -> 12 + 2 * r.streams().size();
            case IncomingSsnResetRequest r -> 4 + 2 * r.streams().size();
            case SsnTsnResetRequest r -> 4;
            case ReconfigResponse r -> r.hasTsns() ? 16 : 8;
            case AddStreams a -> 8;
            case Unknown u -> u.value().length;
        };
    }

    static void encodeAll(List<SctpParameter> params, ByteBuffer out) {
        for (SctpParameter p : params) {
            int start = out.position();
            int len = length(p);
            out.putShort((short) p.type()).putShort((short) len);
            switch (p) {
                case StateCookie c -> out.put(c.cookie());
                case SupportedExtensions e -> out.put(e.chunkTypes());
                case ForwardTsnSupported f -> {}
                case ZeroChecksumAcceptable z -> out.putInt((int) z.edmid());
                case OutgoingSsnResetRequest r -> {
                    out.putInt(r.requestSeq()).putInt(r.responseSeq()).putInt(r.lastTsn());
                    r.streams().forEach(s -> out.putShort((short) (int) s));
                }
                case IncomingSsnResetRequest r -> {
                    out.putInt(r.requestSeq());
                    r.streams().forEach(s -> out.putShort((short) (int) s));
                }
                case SsnTsnResetRequest r -> out.putInt(r.requestSeq());
                case ReconfigResponse r -> {
                    out.putInt(r.responseSeq()).putInt(r.result());
                    if (r.hasTsns()) {
                        out.putInt(r.senderNextTsn()).putInt(r.receiverNextTsn());
                    }
                }
                case AddStreams a -> out.putInt(a.requestSeq()).putShort((short) a.newStreams()).putShort((short) 0);
                case Unknown u -> out.put(u.value());
            }
            out.position(start + SctpCodec.padded(len));
        }
    }
}
