package io.rtc4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a person sees when signaling is not there for them: a full room, and a server that goes away and comes
 * back (the SDK reconnects with backoff, joins again and rebuilds its peer connections). Signaling only
 * (--no-turn), capacity 2, a port of its own in its own loopback-only namespace.
 */
class SignalingResilienceE2ETest {
    private static final Path OUT = Path.of(System.getProperty("rtc4j.e2e.out", "target/e2e"));
    private static final int PORT = 8081;
    private static final List<String> ARGS = List.of("--no-turn", "--listening-ip", "127.0.0.1", "--room-capacity", "2");
    private static LoopbackNamespace ns;
    private static ChromiumInNamespace chromium;

    @BeforeAll
    static void start() throws Exception {
        ns = LoopbackNamespace.create();
        try {
            chromium = new ChromiumInNamespace(ns, OUT);
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) chromium.close();
        } finally {
            if (ns != null) ns.close();
        }
    }

    @Test
    void aThirdPeerInARoomOfTwoIsToldTheRoomIsFullAndTheCallGoesOn() throws Exception {
        try (ServerProcess server = ServerProcess.start(ns, OUT, PORT, ARGS)) {
            AppPage ada = AppPage.join(chromium, server.baseUrl(), "full", "Ada", "");
            AppPage bob = AppPage.join(chromium, server.baseUrl(), "full", "Bob", "");
            AppPage cy = AppPage.join(chromium, server.baseUrl(), "full", "Cy", "");
            try {
                cy.waitOrExplain(() -> cy.page.waitForFunction(
                        "() => [...document.querySelectorAll('.toast')].some((t) => t.textContent.includes('This room is full'))"
                                + " && document.getElementById('signaling-state').dataset.state === 'failed'",
                        null, new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
                ada.waitForRemoteTiles(1);
                bob.waitForRemoteTiles(1);
                assertThat(ada.remoteNames()).containsExactly("Bob");
                assertThat(cy.remoteNames()).isEmpty();
            } finally {
                for (AppPage p : List.of(ada, bob, cy)) p.close();
            }
        }
    }

    @Test
    void theCallSurvivesASignalingRestartAndIsRebuiltAfterTheRejoin() throws Exception {
        ServerProcess server = ServerProcess.start(ns, OUT, PORT, ARGS);
        AppPage ada = null, bob = null;
        try {
            ada = AppPage.join(chromium, server.baseUrl(), "restart", "Ada", "");
            bob = AppPage.join(chromium, server.baseUrl(), "restart", "Bob", "");
            for (AppPage p : List.of(ada, bob)) {
                p.waitForRemoteTiles(1);
                p.page.evaluate("() => { for (const id of window.rtc4jApp.room.peers.keys()) window.rtc4jApp.room.link(id).pc.beforeRestart = true; }");
            }

            server.close();
            for (AppPage p : List.of(ada, bob)) {
                AppPage q = p;
                p.waitOrExplain(() -> q.page.waitForFunction(
                        "() => document.getElementById('signaling-state').dataset.state === 'reconnecting'",
                        null, new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
                // media is peer to peer: it keeps flowing while signaling is down
                p.waitForMediaBeyond(p.stats());
            }

            server = ServerProcess.start(ns, OUT, PORT, ARGS);
            for (AppPage p : List.of(ada, bob)) {
                AppPage q = p;
                p.waitOrExplain(() -> q.page.waitForFunction("""
                        () => document.getElementById('signaling-state').dataset.state === 'connected'
                          && [...window.rtc4jApp.room.peers.keys()].length === 1
                          && [...window.rtc4jApp.room.peers.keys()].every((id) => {
                               const l = window.rtc4jApp.room.link(id); return l && !l.pc.beforeRestart; })""",
                        null, new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
                p.waitForRemoteTiles(1);
                p.waitForMediaBeyond(p.stats());
            }
            assertThat(ada.remoteNames()).containsExactly("Bob");
            assertThat(bob.remoteNames()).containsExactly("Ada");
        } finally {
            if (ada != null) ada.close();
            if (bob != null) bob.close();
            server.close();
        }
    }
}
