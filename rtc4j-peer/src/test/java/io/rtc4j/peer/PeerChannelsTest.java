package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The channel table before SCTP exists: handles, pre-negotiated id clashes, closing, bounded memory. */
class PeerChannelsTest {
    final Instant now = Instant.parse("2026-11-22T08:00:00Z");
    final List<PeerEvent> events = new ArrayList<>();

    @Test
    void channelsClosedBeforeTheTransportCloseAtOnceAndOnlyTheNewestClosedAreKept() {
        PeerChannels t = new PeerChannels();
        for (int i = 0; i < PeerChannels.CLOSED_KEPT + 44; i++) {
            int h = t.create(now, "c" + i, RtcDataChannelInit.DEFAULT);
            t.close(now, h, events::add);
            t.close(now, h, events::add); // idempotent
        }
        assertThat(events).hasSize(PeerChannels.CLOSED_KEPT + 44).allMatch(e -> e instanceof PeerEvent.DataChannelClosed);
        List<RtcStats.DataChannelStats> stats = t.stats();
        assertThat(stats).hasSize(PeerChannels.CLOSED_KEPT);
        assertThat(stats.getFirst().label()).isEqualTo("c44");
        assertThat(stats).allMatch(s -> s.state() == RtcDataChannelState.CLOSED && s.id() == -1);
    }

    @Test
    void negotiatedIdsAreUniqueAndSendingNeedsAnOpenChannel() {
        PeerChannels t = new PeerChannels();
        int h = t.create(now, "x", RtcDataChannelInit.negotiated(4));
        assertThatThrownBy(() -> t.create(now, "y", RtcDataChannelInit.negotiated(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in use");
        assertThatThrownBy(() -> t.send(now, h, false, new byte[] {1})).isInstanceOf(IllegalStateException.class);
        assertThat(t.bufferedAmount(h)).isZero();
        assertThat(t.stats()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(4);
            assertThat(s.state()).isEqualTo(RtcDataChannelState.CONNECTING);
        });
    }
}
