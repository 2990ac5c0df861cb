package io.rtc4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole product end to end: {@code ./rtc4j server} (the shaded jar, a real process) and the web app in
 * real headless Debian Chromium, all inside one loopback-only network namespace that this test creates and
 * deletes. Pages come from the server under test at http://127.0.0.1:8080/.
 */
class CallE2ETest {
    private static final Path OUT = Path.of(System.getProperty("rtc4j.e2e.out", "target/e2e"));
    private static LoopbackNamespace ns;
    private static ServerProcess server;
    private static ChromiumInNamespace chromium;

    @BeforeAll
    static void start() throws Exception {
        ns = LoopbackNamespace.create();
        try {
            server = ServerProcess.start(ns, OUT);
            chromium = new ChromiumInNamespace(ns, OUT);
            System.out.println("e2e: Chromium " + chromium.version() + " in namespace " + ns.name());
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            if (chromium != null) chromium.close();
        } finally {
            try {
                if (server != null) server.close(); // its log stays under target/e2e/
            } finally {
                if (ns != null) ns.close();
            }
        }
    }

    @Test
    void threeParticipantsCallChatShareFilesRecordAndLeave() throws Exception {
        String room = "standup-" + Long.toHexString(System.nanoTime());
        AppPage ada = AppPage.join(chromium, server.baseUrl(), room, "Ada", "");
        AppPage bob = AppPage.join(chromium, server.baseUrl(), room, "Bob", "");
        AppPage cy = AppPage.join(chromium, server.baseUrl(), room, "Cy", "");
        List<AppPage> all = List.of(ada, bob, cy);
        try {
            // Each receives two remote videos, connected and named, whose frames and audio keep arriving.
            for (AppPage p : all) p.waitForRemoteTiles(2);
            assertThat(ada.remoteNames()).containsExactly("Bob", "Cy");
            assertThat(bob.remoteNames()).containsExactly("Ada", "Cy");
            assertThat(cy.remoteNames()).containsExactly("Ada", "Bob");
            for (AppPage p : all) {
                Map<String, Map<String, Object>> before = p.stats();
                assertThat(before).hasSize(2);
                p.waitForMediaBeyond(before);
            }

            // Chat reaches everyone, through the chat panel.
            ada.page.fill("#chat-input", "hello from Ada");
            ada.page.press("#chat-input", "Enter");
            bob.page.fill("#chat-input", "hi, Bob here");
            bob.page.click("#chat-form button[type=submit]");
            for (AppPage p : List.of(bob, cy)) waitForChat(p, "Ada", "hello from Ada");
            for (AppPage p : List.of(ada, cy)) waitForChat(p, "Bob", "hi, Bob here");

            // The screenshot, with the stats panel open on one page so its charts show.
            ada.page.click(".tab[data-tab=stats]");
            ada.waitOrExplain(() -> ada.page.waitForFunction("() => document.querySelectorAll('.stat-card').length === 2"
                    + " && [...document.querySelectorAll('.stat-card .pair')].every((p) => p.textContent === 'host')"
                    + " && [...document.querySelectorAll('.stat-card canvas')].every((c) => c.dataset.samples >= 3)",
                    null, new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
            Files.createDirectories(OUT);
            ada.screenshot(OUT.resolve("three-participants.png"));
            ada.page.click(".tab[data-tab=chat]");

            fileOfFiveMebibytesReachesBothOthersWithMatchingSha256(ada, List.of(bob, cy));
            screenShareReplacesTheVideoTrackAndReturnsToTheCamera(bob, List.of(ada, cy));
            cameraOffAndMuteShowOnTheOthersTiles(bob, List.of(ada, cy));
            recordingIsANonEmptyWebm(cy);

            // Cy leaves: the others' grids lose Cy's tile, and their call goes on.
            String cyId = cy.peerId();
            cy.page.click("#leave-button");
            for (AppPage p : List.of(ada, bob)) {
                p.page.waitForFunction("(id) => !document.querySelector(`.tile[data-peer-id=\"${id}\"]`)"
                        + " && document.querySelectorAll('.tile').length === 2", cyId,
                        new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS));
                assertThat(p.remoteNames()).hasSize(1).doesNotContain("Cy");
            }
            ada.waitForMediaBeyond(ada.stats());
        } finally {
            for (AppPage p : all) p.close();
        }
    }

    @Test
    void relayOnlyCallGoesThroughRtc4jsOwnTurnServer() {
        String room = "relay-" + Long.toHexString(System.nanoTime());
        AppPage ada = AppPage.join(chromium, server.baseUrl(), room, "Ada", "policy=relay");
        AppPage bob = AppPage.join(chromium, server.baseUrl(), room, "Bob", "policy=relay");
        try {
            for (AppPage p : List.of(ada, bob)) {
                p.waitForRemoteTiles(1);
                p.waitForMediaBeyond(p.stats());
                Map<String, Object> s = p.stats().values().iterator().next();
                assertThat(s.get("candidateType")).isEqualTo("relay");
                // the relayed address is one of rtc4j's TURN relay ports, allocated through its own listener
                String local = (String) s.get("localAddress");
                int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
                assertThat(local).startsWith("127.0.0.1:");
                assertThat(port).isBetween(ServerProcess.RELAY_MIN_PORT, ServerProcess.RELAY_MAX_PORT);
                assertThat((String) s.get("relayUrl")).contains("127.0.0.1:" + ServerProcess.TURN_PORT);
            }

            // ICE restart (RFC 8445 §9), as the SDK does on failure or a network change: new credentials on
            // both sides, a new relayed path, and the media goes on.
            String ufrags = "() => { const r = window.rtc4jApp.room; const l = r.link([...r.peers.keys()][0]);"
                    + " return [l.pc.localDescription.sdp, l.pc.remoteDescription.sdp]"
                    + ".map((sdp) => sdp.match(/a=ice-ufrag:(\\S+)/)[1]).join(' '); }";
            String before = (String) ada.page.evaluate(ufrags);
            ada.page.evaluate("() => window.rtc4jApp.room.restartIce()");
            ada.waitOrExplain(() -> ada.page.waitForFunction("([before, f]) => { const now = eval(f)();"
                    + " const [l0, r0] = before.split(' '), [l1, r1] = now.split(' ');"
                    + " const r = window.rtc4jApp.room; const l = r.link([...r.peers.keys()][0]);"
                    + " return l0 !== l1 && r0 !== r1 && l.pc.signalingState === 'stable' && l.pc.connectionState === 'connected'; }",
                    List.of(before, ufrags), new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
            for (AppPage p : List.of(ada, bob)) {
                p.waitForMediaBeyond(p.stats());
                assertThat(p.stats().values().iterator().next().get("candidateType")).isEqualTo("relay");
            }
        } finally {
            ada.close();
            bob.close();
        }
    }

    private static void waitForChat(AppPage p, String from, String text) {
        p.page.waitForFunction("([from, text]) => [...document.querySelectorAll('.msg:not(.system)')].some((m) =>"
                + " m.querySelector('.who span').textContent === from && m.querySelector('.text').textContent === text)",
                List.of(from, text), new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS));
    }

    private static void fileOfFiveMebibytesReachesBothOthersWithMatchingSha256(AppPage sender, List<AppPage> receivers)
            throws Exception {
        byte[] bytes = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(bytes);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        sender.page.click(".tab[data-tab=files]");
        sender.page.setInputFiles("#file-input", new FilePayload("five.bin", "application/octet-stream", bytes));
        for (AppPage r : receivers) {
            r.page.waitForFunction("() => window.rtc4jApp.received.some((f) => f.name === 'five.bin')", null,
                    new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS));
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) r.page.evaluate("() => { const f = window.rtc4jApp.received"
                    + ".find((x) => x.name === 'five.bin'); return { size: f.size, sha256: f.sha256, verified: f.verified,"
                    + " link: !!document.querySelector('a[download=\"five.bin\"]') }; }");
            assertThat(((Number) f.get("size")).intValue()).isEqualTo(bytes.length);
            assertThat(f.get("sha256")).isEqualTo(sha256);
            assertThat(f.get("verified")).isEqualTo(true);
            assertThat(f.get("link")).as("download link shown").isEqualTo(true);
        }
        sender.page.click(".tab[data-tab=chat]");
    }

    /**
     * Headless Chromium offers getDisplayMedia (with --auto-accept-this-tab-capture it captures the tab), so the
     * Share button drives the real path: the video sender's track becomes the display track on every link, the
     * others keep decoding frames, and stopping returns the camera track.
     */
    private static void screenShareReplacesTheVideoTrackAndReturnsToTheCamera(AppPage sharer, List<AppPage> viewers) {
        String camera = (String) sharer.page.evaluate("() => window.rtc4jApp.media.outgoing('video').id");
        sharer.page.click("#screen-button");
        sharer.page.waitForFunction("() => window.rtc4jApp.media.sharingScreen", null,
                new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS));
        @SuppressWarnings("unchecked")
        Map<String, Object> during = (Map<String, Object>) sharer.page.evaluate("""
                () => {
                  const { room, media } = window.rtc4jApp;
                  const screen = media.outgoing('video');
                  const senders = [...room.peers.keys()].map((id) => room.link(id).sender('video').track?.id);
                  return { screen: screen.id, surface: screen.getSettings().displaySurface ?? null, senders };
                }""");
        assertThat(during.get("screen")).isNotEqualTo(camera);
        assertThat(during.get("surface")).as("a display-capture track").isNotNull();
        assertThat(castList(during.get("senders"))).hasSize(2).containsOnly(during.get("screen"));
        for (AppPage v : viewers) v.waitForMediaBeyond(v.stats());

        sharer.page.click("#screen-button");
        sharer.page.waitForFunction("() => !window.rtc4jApp.media.sharingScreen", null,
                new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS));
        Object senders = sharer.page.evaluate("() => { const { room } = window.rtc4jApp;"
                + " return [...room.peers.keys()].map((id) => room.link(id).sender('video').track?.id); }");
        assertThat(castList(senders)).hasSize(2).containsOnly(camera);
        for (AppPage v : viewers) v.waitForMediaBeyond(v.stats());
    }

    /** Camera off releases the camera and the others see an avatar; mute shows a muted mark; both come back. */
    private static void cameraOffAndMuteShowOnTheOthersTiles(AppPage who, List<AppPage> others) {
        String id = who.peerId();
        who.page.click("#camera-button");
        who.page.click("#mic-button");
        for (AppPage o : others) {
            o.waitOrExplain(() -> o.page.waitForFunction("(id) => { const t = document.querySelector(`.tile[data-peer-id=\"${id}\"]`);"
                    + " return t && t.dataset.video === 'off' && t.dataset.audio === 'off'"
                    + " && !t.querySelector('.avatar').hidden && !t.querySelector('.mic-off').hidden; }", id,
                    new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
        }
        assertThat(who.page.evaluate("() => window.rtc4jApp.media.outgoing('video')")).isNull();
        who.page.click("#camera-button");
        who.page.click("#mic-button");
        for (AppPage o : others) {
            o.waitOrExplain(() -> o.page.waitForFunction("(id) => { const t = document.querySelector(`.tile[data-peer-id=\"${id}\"]`);"
                    + " return t && t.dataset.video === 'on' && t.dataset.audio === 'on' && t.querySelector('.avatar').hidden; }", id,
                    new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
            o.waitForMediaBeyond(o.stats());
        }
    }

    /** The Record button records the local stream; a tile's Rec button records that remote stream. */
    private static void recordingIsANonEmptyWebm(AppPage p) {
        record(p, "#record-button", 1);
        record(p, ".tile:not(.self) .tile-actions button", 2);
    }

    private static void record(AppPage p, String button, int count) {
        int chunks = ((Number) p.page.evaluate("() => window.rtc4jApp.recordingChunks")).intValue();
        p.page.click(button);
        p.waitOrExplain(() -> p.page.waitForFunction("(n) => window.rtc4jApp.recordingChunks >= n", chunks + 2,
                new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
        p.page.click(button);
        p.waitOrExplain(() -> p.page.waitForFunction("(n) => window.rtc4jApp.recordings.length === n", count,
                new Page.WaitForFunctionOptions().setTimeout(AppPage.WAIT_MS)));
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) p.page.evaluate("async (i) => { const b = window.rtc4jApp.recordings[i];"
                + " return { size: b.size, head: [...new Uint8Array(await b.slice(0, 4).arrayBuffer())],"
                + " links: document.querySelectorAll('#recordings a[download$=\".webm\"]').length }; }", count - 1);
        assertThat(((Number) r.get("size")).longValue()).isGreaterThan(1000);
        assertThat(castList(r.get("head")).stream().map(x -> ((Number) x).intValue()).toList())
                .containsExactly(0x1A, 0x45, 0xDF, 0xA3); // EBML magic, RFC 8794 §8
        assertThat(((Number) r.get("links")).intValue()).as("download links shown").isEqualTo(count);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object o) {
        return (List<Object>) o;
    }
}
