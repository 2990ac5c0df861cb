package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Abort;
import io.rtc4j.sctp.SctpChunk.CookieAck;
import io.rtc4j.sctp.SctpChunk.CookieEcho;
import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Heartbeat;
import io.rtc4j.sctp.SctpChunk.HeartbeatAck;
import io.rtc4j.sctp.SctpChunk.Init;
import io.rtc4j.sctp.SctpChunk.InitAck;
import io.rtc4j.sctp.SctpChunk.InitBody;
import io.rtc4j.sctp.SctpChunk.OperationError;
import io.rtc4j.sctp.SctpChunk.ReConfig;
import io.rtc4j.sctp.SctpChunk.Sack;
import io.rtc4j.sctp.SctpChunk.Shutdown;
import io.rtc4j.sctp.SctpChunk.ShutdownAck;
import io.rtc4j.sctp.SctpChunk.ShutdownComplete;
import io.rtc4j.sctp.SctpChunk.SkippedStream;
import io.rtc4j.sctp.SctpChunk.Unknown;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Stateless SCTP packet codec (RFC 9260 §3) with the CRC32c checksum (RFC 9260 Appendix A). Thread-safe. */
final class SctpCodec {
    static final int COMMON_HEADER = 12;
    static final int DATA_HEADER = 16;

    private SctpCodec() {}

    /**
     * Decodes one packet. The checksum must be the CRC32c, or zero when {@code acceptZeroChecksum} (RFC 9653 §5.3:
     * only once the alternate method was announced).
     */
    static SctpPacket decode(byte[] b, int off, int len, boolean acceptZeroChecksum) throws SctpParseException {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IllegalArgumentException("bad slice");
        }
        if (len < COMMON_HEADER) {
            throw new SctpParseException("packet shorter than the common header");
        }
        ByteBuffer in = ByteBuffer.wrap(b, off, len).slice();
        int checksum = Integer.reverseBytes(in.getInt(8));
        if (!(checksum == 0 && acceptZeroChecksum) && checksum != crc32c(b, off, len)) {
            throw new SctpParseException("bad checksum");
        }
        int src = in.getShort(0) & 0xFFFF;
        int dst = in.getShort(2) & 0xFFFF;
        int tag = in.getInt(4);
        in.position(COMMON_HEADER);
        List<SctpChunk> chunks = new ArrayList<>();
        while (in.remaining() > 0) {
            if (in.remaining() < 4) {
                throw new SctpParseException("truncated chunk header");
            }
            int type = in.get() & 0xFF;
            int flags = in.get() & 0xFF;
            int length = in.getShort() & 0xFFFF;
            if (length < 4 || length - 4 > in.remaining()) {
                throw new SctpParseException("bad chunk length " + length + " for type " + type);
            }
            ByteBuffer v = in.slice(in.position(), length - 4);
            in.position(in.position() + length - 4);
            in.position(in.position() + Math.min(pad(length), in.remaining()));
            chunks.add(decodeChunk(type, flags, v));
        }
        if (chunks.isEmpty()) {
            throw new SctpParseException("packet without chunks");
        }
        return new SctpPacket(src, dst, tag, chunks);
    }

    private static SctpChunk decodeChunk(int type, int flags, ByteBuffer v) throws SctpParseException {
        return switch (type) {
            case SctpChunk.DATA -> {
                need(v, DATA_HEADER - 4, "DATA");
                int tsn = v.getInt();
                int sid = v.getShort() & 0xFFFF;
                int ssn = v.getShort() & 0xFFFF;
                int ppid = v.getInt();
                if (!v.hasRemaining()) {
                    throw new SctpParseException("DATA without user data"); // RFC 9260 §6.2: cause 9
                }
                yield new Data((flags & 4) != 0, (flags & 2) != 0, (flags & 1) != 0, (flags & 8) != 0, tsn, sid,
                        ssn, ppid, rest(v));
            }
            case SctpChunk.INIT -> new Init(initBody(v));
            case SctpChunk.INIT_ACK -> new InitAck(initBody(v));
            case SctpChunk.SACK -> {
                need(v, 12, "SACK");
                int cum = v.getInt();
                long rwnd = v.getInt() & 0xFFFF_FFFFL;
                int gaps = v.getShort() & 0xFFFF;
                int dups = v.getShort() & 0xFFFF;
                need(v, gaps * 4 + dups * 4, "SACK blocks");
                List<GapBlock> g = new ArrayList<>(gaps);
                for (int i = 0; i < gaps; i++) {
                    g.add(new GapBlock(v.getShort() & 0xFFFF, v.getShort() & 0xFFFF));
                }
                List<Integer> d = new ArrayList<>(dups);
                for (int i = 0; i < dups; i++) {
                    d.add(v.getInt());
                }
                yield new Sack(cum, rwnd, g, d);
            }
            case SctpChunk.HEARTBEAT, SctpChunk.HEARTBEAT_ACK -> {
                need(v, 4, "HEARTBEAT");
                int ptype = v.getShort() & 0xFFFF;
                int plen = v.getShort() & 0xFFFF;
                if (ptype != 1 || plen < 4 || plen - 4 > v.remaining()) {
                    throw new SctpParseException("bad heartbeat info");
                }
                byte[] info = new byte[plen - 4];
                v.get(info);
                yield type == SctpChunk.HEARTBEAT ? new Heartbeat(info) : new HeartbeatAck(info);
            }
            case SctpChunk.ABORT -> new Abort((flags & 1) != 0, causes(v));
            case SctpChunk.SHUTDOWN -> {
                need(v, 4, "SHUTDOWN");
                yield new Shutdown(v.getInt());
            }
            case SctpChunk.SHUTDOWN_ACK -> new ShutdownAck();
            case SctpChunk.SHUTDOWN_COMPLETE -> new ShutdownComplete((flags & 1) != 0);
            case SctpChunk.ERROR -> new OperationError(causes(v));
            case SctpChunk.COOKIE_ECHO -> new CookieEcho(rest(v));
            case SctpChunk.COOKIE_ACK -> new CookieAck();
            case SctpChunk.FORWARD_TSN -> {
                need(v, 4, "FORWARD-TSN");
                int cum = v.getInt();
                if (v.remaining() % 4 != 0) {
                    throw new SctpParseException("FORWARD-TSN stream list not a multiple of 4");
                }
                List<SkippedStream> s = new ArrayList<>(v.remaining() / 4);
                while (v.hasRemaining()) {
                    s.add(new SkippedStream(v.getShort() & 0xFFFF, v.getShort() & 0xFFFF));
                }
                yield new ForwardTsn(cum, s);
            }
            case SctpChunk.RE_CONFIG -> {
                List<SctpParameter> p = SctpParameterCodec.decodeAll(v);
                if (p.isEmpty() || p.size() > 2) {
                    throw new SctpParseException("RE-CONFIG with " + p.size() + " parameters");
                }
                yield new ReConfig(p);
            }
            default -> new Unknown(type, flags, rest(v));
        };
    }

    private static InitBody initBody(ByteBuffer v) throws SctpParseException {
        need(v, 16, "INIT");
        int tag = v.getInt();
        long rwnd = v.getInt() & 0xFFFF_FFFFL;
        int os = v.getShort() & 0xFFFF;
        int mis = v.getShort() & 0xFFFF;
        int tsn = v.getInt();
        // RFC 9260 §3.3.2: a zero tag or zero stream counts are invalid mandatory parameters.
        if (tag == 0 || os == 0 || mis == 0) {
            throw new SctpParseException("INIT with a zero tag or stream count");
        }
        return new InitBody(tag, rwnd, os, mis, tsn, SctpParameterCodec.decodeAll(v));
    }

    private static List<SctpErrorCause> causes(ByteBuffer v) throws SctpParseException {
        List<SctpErrorCause> out = new ArrayList<>();
        while (v.remaining() >= 4) {
            int code = v.getShort() & 0xFFFF;
            int len = v.getShort() & 0xFFFF;
            if (len < 4 || len - 4 > v.remaining()) {
                throw new SctpParseException("bad error cause length");
            }
            byte[] info = new byte[len - 4];
            v.get(info);
            v.position(v.position() + Math.min(pad(len), v.remaining()));
            out.add(new SctpErrorCause(code, info));
        }
        return out;
    }

    static void need(ByteBuffer v, int n, String what) throws SctpParseException {
        if (v.remaining() < n) {
            throw new SctpParseException(what + " truncated");
        }
    }

    static byte[] rest(ByteBuffer v) {
        byte[] a = new byte[v.remaining()];
        v.get(a);
        return a;
    }

    static int pad(int len) {
        return (4 - (len & 3)) & 3;
    }

    // ---- encoding -----------------------------------------------------------------------------------------

    /** Encodes with the CRC32c, or with a zero checksum (RFC 9653) when {@code zeroChecksum}. */
    static byte[] encode(SctpPacket p, boolean zeroChecksum) {
        int size = COMMON_HEADER;
        for (SctpChunk c : p.chunks()) {
            size += padded(chunkLength(c));
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort((short) p.sourcePort()).putShort((short) p.destinationPort()).putInt(p.verificationTag());
        out.putInt(0);
        for (SctpChunk c : p.chunks()) {
            encodeChunk(c, out);
        }
        byte[] a = out.array();
        if (!zeroChecksum) {
            ByteBuffer.wrap(a).putInt(8, Integer.reverseBytes(crc32c(a, 0, a.length)));
        }
        return a;
    }

    /** RFC 9260 Appendix A: CRC32c over the packet with a zeroed checksum field, sent least significant byte first. */
    static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, 8);
        crc.update(ZEROS, 0, 4);
        crc.update(b, off + COMMON_HEADER, len - COMMON_HEADER);
        return (int) crc.getValue();
    }

    private static final byte[] ZEROS = new byte[4];

    static int padded(int len) {
        return len + pad(len);
    }

    /** The chunk's length field: header and value, without trailing padding. */
    static int chunkLength(SctpChunk c) {
        return 4 + switch (c) {
            case Data d -> 12 + d.payload().length;
            case Init i -> 16 + SctpParameterCodec.size(i.body().parameters());
            case InitAck i -> 16 + SctpParameterCodec.size(i.body().parameters());
            case Sack s -> 12 + 4 * s.gapBlocks().size() + 4 * s.duplicateTsns().size();
            case Heartbeat h -> 4 + h.info().length;
            case HeartbeatAck h -> 4 + h.info().length;
            case Abort a -> causesSize(a.causes());
            case Shutdown s -> 4;
            case ShutdownAck s -> 0;
            case ShutdownComplete s -> 0;
            case OperationError e -> causesSize(e.causes());
            case CookieEcho e -> e.cookie().length;
            case CookieAck a -> 0;
            case ForwardTsn f -> 4 + 4 * f.streams().size();
            case ReConfig r -> SctpParameterCodec.size(r.parameters());
            case Unknown u -> u.value().length;
        };
    }

    private static int causesSize(List<SctpErrorCause> causes) {
        int n = 0;
        for (SctpErrorCause c : causes) {
            n += padded(4 + c.info().length);
        }
        return causes.isEmpty() ? 0 : n - pad(4 + causes.get(causes.size() - 1).info().length);
    }

    private static void encodeChunk(SctpChunk c, ByteBuffer out) {
        int start = out.position();
        int len = chunkLength(c);
        int flags = switch (c) {
            case Data d -> (d.unordered() ? 4 : 0) | (d.beginning() ? 2 : 0) | (d.ending() ? 1 : 0)
                    | (d.immediate() ? 8 : 0);
            case Abort a -> a.tagReflected() ? 1 : 0;
            case ShutdownComplete s -> s.tagReflected() ? 1 : 0;
            case Unknown u -> u.flags();
            default -> 0;
        };
        out.put((byte) c.type()).put((byte) flags).putShort((short) len);
        switch (c) {
            case Data d -> out.putInt(d.tsn()).putShort((short) d.streamId()).putShort((short) d.ssn())
                    .putInt(d.ppid()).put(d.payload());
            case Init i -> initBody(i.body(), out);
            case InitAck i -> initBody(i.body(), out);
            case Sack s -> {
                out.putInt(s.cumulativeTsnAck()).putInt((int) s.aRwnd());
                out.putShort((short) s.gapBlocks().size()).putShort((short) s.duplicateTsns().size());
                for (GapBlock g : s.gapBlocks()) {
                    out.putShort((short) g.start()).putShort((short) g.end());
                }
                for (int d : s.duplicateTsns()) {
                    out.putInt(d);
                }
            }
            case Heartbeat h -> out.putShort((short) 1).putShort((short) (4 + h.info().length)).put(h.info());
            case HeartbeatAck h -> out.putShort((short) 1).putShort((short) (4 + h.info().length)).put(h.info());
            case Abort a -> causes(a.causes(), out);
            case Shutdown s -> out.putInt(s.cumulativeTsnAck());
            case ShutdownAck s -> {}
            case ShutdownComplete s -> {}
            case OperationError e -> causes(e.causes(), out);
            case CookieEcho e -> out.put(e.cookie());
            case CookieAck a -> {}
            case ForwardTsn f -> {
                out.putInt(f.newCumulativeTsn());
                for (SkippedStream s : f.streams()) {
                    out.putShort((short) s.streamId()).putShort((short) s.ssn());
                }
            }
            case ReConfig r -> SctpParameterCodec.encodeAll(r.parameters(), out);
            case Unknown u -> out.put(u.value());
        }
        out.position(start + padded(len));
    }

    private static void initBody(InitBody b, ByteBuffer out) {
        out.putInt(b.initiateTag()).putInt((int) b.aRwnd()).putShort((short) b.outboundStreams())
                .putShort((short) b.inboundStreams()).putInt(b.initialTsn());
        SctpParameterCodec.encodeAll(b.parameters(), out);
    }

    private static void causes(List<SctpErrorCause> causes, ByteBuffer out) {
        for (SctpErrorCause c : causes) {
            int len = 4 + c.info().length;
            out.putShort((short) c.code()).putShort((short) len).put(c.info());
            out.position(out.position() + pad(len));
        }
    }
}
