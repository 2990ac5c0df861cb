package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A controlling peer that sets USE-CANDIDATE on every check (aggressive nomination of RFC 5245 §8.1.1.2, still
 * sent by older browsers), scripted by hand: our controlled agent, full or lite, must end on the highest
 * priority nominated pair and stay there when a lower one is nominated again.
 */
class IceAggressiveNominationTest {
    static final InetSocketAddress US = new InetSocketAddress("192.0.2.2", 6000);
    static final InetSocketAddress PEER_RELAYED = new InetSocketAddress("198.51.100.9", 40000);
    static final InetSocketAddress PEER_HOST = new InetSocketAddress("192.0.2.1", 5000);

    final SimClock clock = new SimClock();
    final SplittableRandom random = new SplittableRandom(3);
    final IceCredentials peer = IceCredentials.random(new SplittableRandom(4));
    final List<CandidatePair> selected = new ArrayList<>();
    final List<IceConnectionState> states = new ArrayList<>();
    int checksFromUs;

    @ParameterizedTest(name = "lite={0}")
    @ValueSource(booleans = {false, true})
    void theHighestNominatedPairWins(boolean lite) {
        IceAgentConfig config = lite ? IceAgentConfig.liteDefaults() : IceAgentConfig.defaults(IceRole.CONTROLLED);
        IceAgent agent = new IceAgent(config, IceCredentials.random(new SplittableRandom(5)), new SplittableRandom(6));
        agent.setRemoteCredentials(clock.now(), peer);
        agent.addLocalCandidate(clock.now(), AgentWire.host(US, 65535));
        agent.endOfRemoteCandidates(clock.now()); // the peer's candidates are learned from its checks

        long relayPriority = IcePriority.candidate(CandidateType.RELAYED, 65535, 1);
        long hostPriority = IcePriority.candidate(CandidateType.HOST, 65535, 1);
        checkWithUseCandidate(agent, PEER_RELAYED, relayPriority);
        assertThat(selected).hasSize(1);
        assertThat(selected.getLast().remote().socketAddress()).contains(PEER_RELAYED);

        checkWithUseCandidate(agent, PEER_HOST, hostPriority);
        assertThat(selected).hasSize(2);
        assertThat(selected.getLast().remote().socketAddress()).contains(PEER_HOST);

        checkWithUseCandidate(agent, PEER_RELAYED, relayPriority); // nominated again: still the better one
        assertThat(selected).hasSize(2);
        assertThat(agent.selectedPair().remote().socketAddress()).contains(PEER_HOST);
        assertThat(agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(agent.dropped()).isZero();
        if (lite) {
            assertThat(checksFromUs).isZero();
        } else {
            assertThat(checksFromUs).as("a triggered check per new pair").isEqualTo(2);
        }
    }

    /** Sends one nominating check from {@code from} and plays the peer until the agent is quiet for a second. */
    void checkWithUseCandidate(IceAgent agent, InetSocketAddress from, long priority) {
        byte[] check = IceMessages.check(TransactionId.random(random), peer, agent.localCredentials(), priority,
                IceRole.CONTROLLING, 42, true);
        agent.handleInput(clock.now(), US, from, ByteBuffer.wrap(check));
        for (int step = 0; step < 100; step++) {
            IceOutput o;
            List<Runnable> replies = new ArrayList<>();
            while (!((o = agent.pollOutput()) instanceof IceOutput.Timeout)) {
                switch (o) {
                    case IceOutput.Transmit x -> {
                        StunMessage m = decode(x.data());
                        if (m.messageClass() == StunClass.REQUEST) { // our check (or consent): the peer answers it
                            checksFromUs++; // the test returns before any consent check is due
                            byte[] answer = IceMessages.success(m, x.from(), peer);
                            replies.add(() -> agent.handleInput(clock.now(), x.from(), x.to(), ByteBuffer.wrap(answer)));
                        }
                    }
                    case IceOutput.SelectedPairChanged p -> selected.add(p.pair());
                    case IceOutput.StateChanged s -> states.add(s.state());
                    default -> {}
                }
            }
            IceOutput.Timeout t = (IceOutput.Timeout) o;
            if (replies.isEmpty()) {
                if (t.at().isAfter(clock.now().plus(Duration.ofSeconds(1)))) {
                    return;
                }
                clock.advanceTo(t.at());
                agent.handleTimeout(clock.now());
            } else {
                clock.advance(Duration.ofMillis(10));
                replies.forEach(Runnable::run);
            }
        }
        throw new AssertionError("agent did not settle");
    }

    static StunMessage decode(ByteBuffer b) {
        try {
            return StunCodec.decode(b.duplicate());
        } catch (StunParseException e) {
            throw new AssertionError(e);
        }
    }
}
