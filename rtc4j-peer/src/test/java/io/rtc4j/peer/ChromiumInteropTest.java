package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtc4j.testkit.netns.Ipv4Cidr;
import io.rtc4j.testkit.netns.JvmInNamespace;
import io.rtc4j.testkit.netns.Netns;
import io.rtc4j.testkit.netns.NetnsLab;
import io.rtc4j.testkit.proc.ManagedProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rtc4j with headless Chromium (Debian's /usr/bin/chromium), both offer directions, data channel echo and close
 * from either side: {@link ChromiumInteropCheck} runs in a child JVM inside a network namespace this test makes
 * with only lo up, so all traffic stays on that namespace's loopback. Needs root, iproute2 and Chromium: skipped
 * without them locally, a failure under CI=true.
 */
class ChromiumInteropTest {
    @Test
    void chromiumAndRtc4jOpenChannelsAndEchoInBothOfferDirections() {
        String out = runInNamespace("plain");
        assertThat(out).contains("CHECK rtc4j-answerer channel label=echo protocol=p1", "CHECK rtc4j-offer-has-loopback true",
                "CHECK rtc4j-answerer saw-close=echo", "chromium-saw-close=from-rtc4j");
        assertThat(out).containsPattern("CHECK result chromium-offers: ok connected id=\\d+ mms=262144 restart=ok \\| rtc4j-offers: ok id=\\d+");
        // ICE restarts from either side (RFC 8839 §4.4.1.1): new credentials, a new pair selected, the channels go on
        // (from Chromium: it selected a new pair and the channel echoed after it; from rtc4j: rtc4j's new checks
        // selected a pair and the pre-negotiated channel echoed after it)
        assertThat(out).contains("CHECK rtc4j-answerer restart ufrag-changed=true").containsPattern("rtc4j-offers: ok .* restart=ok");
        // a pre-negotiated channel, and 16 MiB to Chromium under flow control with the SHA-256 Chromium computed
        assertThat(out).contains("negotiated=ok").containsPattern("bulk=ok [0-9.]+MB/s");
    }

    @Test
    void chromiumsMdnsHostCandidatesAreResolved() {
        String out = runInNamespace("mdns");
        // both rtc4j peers resolved the .local name in Chromium's offer and answer through rtc4j-ice's mDNS (RFC 6762),
        // and the answerer again in Chromium's ICE restart offer
        assertThat(out).contains("CHECK chromium-offer-has-mdns true", "CHECK chromium-answer-has-mdns true",
                "CHECK mdns-resolved answerer 2", "CHECK mdns-resolved offerer 1"); // the answerer: offer, restart offer
        assertThat(out).containsPattern("CHECK result chromium-offers: ok connected id=\\d+ mms=262144 restart=ok \\| rtc4j-offers: ok id=\\d+");
    }

    static String runInNamespace(String mode) {
        assumeTrue(JvmInNamespace.chromiumCheckRunnable(), () -> "skipped: " + JvmInNamespace.chromiumUnavailableReason().orElse(""));
        try (NetnsLab lab = NetnsLab.create()) {
            Netns ns = lab.namespace("chromium");
            if (mode.equals("mdns")) {
                // Chromium hides host addresses other than loopback behind mDNS names, and gathers nothing
                // without a default route: a veth pair that lives entirely inside this namespace gives it both
                ns.addPrivateLink("v0", "v1", Ipv4Cidr.parse("10.99.0.1/24"));
            }
            try (ManagedProcess p = JvmInNamespace.start(ns, List.of(), ChromiumInteropCheck.class.getName(),
                    List.of(JvmInNamespace.CHROMIUM.toString(), mode))) {
                boolean done = p.waitFor(Duration.ofSeconds(150));
                String out = p.output();
                System.out.println(out);
                assertThat(done).as("check finished in 150 s:\n" + out).isTrue();
                assertThat(out).doesNotContain("CHECK failure");
                assertThat(p.exitCode()).as(out).hasValue(0);
                return out;
            }
        }
    }
}
