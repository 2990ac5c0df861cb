package io.rtc4j.ice.mdns;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Any bytes either decode or raise DnsParseException; the resolver never throws on them. */
class DnsCodecFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void decode(byte[] input) {
        try {
            DnsMessage m = DnsCodec.decode(ByteBuffer.wrap(input));
            m.answers().forEach(DnsRecord::address);
        } catch (DnsParseException e) {
            // expected for garbage
        }
        MdnsResolver r = new MdnsResolver(false);
        r.register("me.local", java.net.InetAddress.getLoopbackAddress());
        r.resolve(Instant.EPOCH, "peer.local");
        r.handleInput(Instant.EPOCH, new InetSocketAddress("127.0.0.1", 5353), ByteBuffer.wrap(input));
        while (!(r.pollOutput() instanceof MdnsResolver.Output.Timeout)) {
            // drain
        }
    }
}
