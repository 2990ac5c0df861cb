package io.rtc4j.ice.mdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.SimClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MdnsResolverTest {
    static final String NAME = "4e0b3c1e-5c55-4a4a-9b1c-0e7a3c4b9d2f.local";
    final SimClock clock = new SimClock();

    /** Drains {@code r}; Transmits go to {@code wire}, the rest to the returned list. */
    static List<MdnsResolver.Output> drain(MdnsResolver r, List<ByteBuffer> wire) {
        List<MdnsResolver.Output> out = new ArrayList<>();
        MdnsResolver.Output o;
        while (!((o = r.pollOutput()) instanceof MdnsResolver.Output.Timeout)) {
            if (o instanceof MdnsResolver.Output.Transmit t) {
                wire.add(t.data());
            } else {
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void resolvesANameAnotherAgentRegistered() throws Exception {
        MdnsResolver browser = new MdnsResolver(false);
        InetAddress hidden = InetAddress.getByName("192.168.1.23");
        browser.register(NAME, hidden);
        MdnsResolver us = new MdnsResolver(false);
        us.resolve(clock.now(), NAME.toUpperCase()); // names are case-insensitive
        List<ByteBuffer> queries = new ArrayList<>();
        drain(us, queries);
        assertThat(queries).hasSize(1);
        List<ByteBuffer> answers = new ArrayList<>();
        browser.handleInput(clock.now(), new InetSocketAddress("192.168.1.5", 5353), queries.getFirst());
        drain(browser, answers);
        assertThat(answers).hasSize(1);
        us.handleInput(clock.now(), new InetSocketAddress("192.168.1.23", 5353), answers.getFirst());
        assertThat(drain(us, new ArrayList<>()))
                .containsExactly(new MdnsResolver.Output.Resolved(NAME.toUpperCase(), hidden));
        assertThat(((MdnsResolver.Output.Timeout) us.pollOutput()).at()).isEqualTo(java.time.Instant.MAX);
    }

    @Test
    void unansweredQueriesAreRetriedThenFailAfterThreeSeconds() {
        MdnsResolver us = new MdnsResolver(true);
        us.resolve(clock.now(), NAME);
        List<ByteBuffer> wire = new ArrayList<>();
        List<MdnsResolver.Output> results = new ArrayList<>();
        for (int i = 0; i < 10 && results.isEmpty(); i++) {
            results.addAll(drain(us, wire));
            clock.advanceTo(((MdnsResolver.Output.Timeout) us.pollOutput()).at());
            us.handleTimeout(clock.now());
            results.addAll(drain(us, wire));
        }
        assertThat(wire).hasSize(3);
        assertThat(results).containsExactly(new MdnsResolver.Output.ResolveFailed(NAME));
        assertThat(clock.now()).isEqualTo(SimClock.EPOCH.plus(Duration.ofSeconds(3)));
    }

    @Test
    void onlyLocalNamesAreAskedAndRegistrationsAreBounded() throws Exception {
        MdnsResolver us = new MdnsResolver(false);
        us.resolve(clock.now(), "example.org");
        List<ByteBuffer> wire = new ArrayList<>();
        assertThat(drain(us, wire)).containsExactly(new MdnsResolver.Output.ResolveFailed("example.org"));
        assertThat(wire).isEmpty();
        for (int i = 0; i < MdnsResolver.MAX_REGISTERED; i++) {
            us.register("h" + i + ".local", InetAddress.getByName("10.0.0.1"));
        }
        assertThatThrownBy(() -> us.register("one-more.local", InetAddress.getByName("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codecFollowsCompressionAndRejectsLoopsAndTruncation() throws Exception {
        // a response whose answer name points back at the question's name (offset 12)
        byte[] msg = HexFormat.of().parseHex(
                "0000840000010001000000000161056c6f63616c0000010001" + "c00c000100010000007800040a000001");
        DnsMessage m = DnsCodec.decode(ByteBuffer.wrap(msg));
        assertThat(m.answers().getFirst().name()).isEqualTo("a.local");
        assertThat(m.answers().getFirst().address()).contains(InetAddress.getByName("10.0.0.1"));

        byte[] loop = HexFormat.of().parseHex("000084000000000100000000" + "c00c000100010000007800040a000001");
        assertThatThrownBy(() -> DnsCodec.decode(ByteBuffer.wrap(loop))).isInstanceOf(DnsParseException.class);
        for (int cut = 0; cut < msg.length; cut++) {
            byte[] t = java.util.Arrays.copyOf(msg, cut);
            assertThatThrownBy(() -> DnsCodec.decode(ByteBuffer.wrap(t))).isInstanceOf(DnsParseException.class);
        }
        byte[] counts = HexFormat.of().parseHex("00008400ffffffff00000000");
        assertThatThrownBy(() -> DnsCodec.decode(ByteBuffer.wrap(counts))).isInstanceOf(DnsParseException.class);
    }

    @Test
    void malformedDatagramsAreCountedNotThrown() {
        MdnsResolver us = new MdnsResolver(false);
        us.handleInput(clock.now(), new InetSocketAddress("10.0.0.9", 5353), ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(us.dropped()).isEqualTo(1);
    }
}
