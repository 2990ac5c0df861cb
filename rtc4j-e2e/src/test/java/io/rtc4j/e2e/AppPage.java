package io.rtc4j.e2e;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;

/** One participant: a page of the web app, driven through its UI, observed through {@code window.rtc4jApp}. */
final class AppPage {
    static final int WAIT_MS = 45_000;

    final Page page;
    final String name;
    private final List<String> console = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private AppPage(Page page, String name) {
        this.page = page;
        this.name = name;
    }

    /** Opens the app, fills the join form and joins; {@code query} is e.g. "policy=relay". */
    static AppPage join(ChromiumInNamespace chromium, String baseUrl, String room, String name, String query) {
        Page page = chromium.newPage();
        AppPage app = new AppPage(page, name);
        page.onConsoleMessage(m -> app.console.add(m.type() + ": " + m.text()));
        page.onPageError(e -> app.console.add("pageerror: " + e));
        page.navigate(baseUrl + "?res=320x180" + (query.isEmpty() ? "" : "&" + query));
        page.fill("#room-input", room);
        page.fill("#name-input", name);
        page.click("#join-button");
        page.waitForSelector("#call-view:not([hidden])");
        return app;
    }

    String peerId() {
        return (String) page.evaluate("() => window.rtc4jApp.room.peerId");
    }

    /** Waits until this page shows {@code remotes} remote tiles, each connected, named and playing video. */
    void waitForRemoteTiles(int remotes) {
        waitOrExplain(() -> page.waitForFunction("""
                (n) => {
                  const tiles = [...document.querySelectorAll('.tile:not(.self)')];
                  return tiles.length === n && tiles.every((t) => t.dataset.state === 'connected'
                    && t.querySelector('video').videoWidth > 0 && !t.querySelector('.name').textContent.match(/^[0-9a-f]{12}$/));
                }""", remotes, new Page.WaitForFunctionOptions().setTimeout(WAIT_MS).setPollingInterval(250)));
    }

    /** Runs a wait; on timeout fails with what the page shows and logged, for a diagnosable CI failure. */
    void waitOrExplain(Runnable wait) {
        try {
            wait.run();
        } catch (com.microsoft.playwright.PlaywrightException e) {
            throw new AssertionError(name + ": " + e.getMessage().lines().findFirst().orElse("") + "\n" + diagnostics(), e);
        }
    }

    String diagnostics() {
        Object state;
        try {
            state = page.evaluate("""
                    () => JSON.stringify({
                      signaling: document.getElementById('signaling-state').dataset.state,
                      tiles: [...document.querySelectorAll('.tile')].map((t) => ({ id: t.dataset.peerId, state: t.dataset.state,
                        name: t.querySelector('.name').textContent, videoWidth: t.querySelector('video').videoWidth })),
                      links: [...(window.rtc4jApp.room?.peers.keys() ?? [])].map((id) => { const l = window.rtc4jApp.room.link(id);
                        return l && { id, pc: l.pc.connectionState, ice: l.pc.iceConnectionState, sig: l.pc.signalingState,
                          transceivers: l.pc.getTransceivers().map((t) => `${t.mid}:${t.direction}/${t.currentDirection}`) }; }),
                      toasts: [...document.querySelectorAll('.toast')].map((t) => t.textContent),
                      statCards: [...document.querySelectorAll('.stat-card')].map((c) => ({ peer: c.dataset.peerId,
                        pair: c.querySelector('.pair').textContent, samples: c.querySelector('canvas').dataset.samples })),
                    })""");
        } catch (RuntimeException e) {
            state = "(page state unavailable: " + e.getMessage() + ")";
        }
        List<String> lines;
        synchronized (console) {
            lines = List.copyOf(console.subList(Math.max(0, console.size() - 40), console.size()));
        }
        return "page state: " + state + "\nconsole:\n  " + String.join("\n  ", lines);
    }

    /** Remote tile names as shown. */
    List<String> remoteNames() {
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) page.evaluate(
                "() => [...document.querySelectorAll('.tile:not(.self) .name')].map((n) => n.textContent).sort()");
        return names;
    }

    /** The SDK's stats summary for every remote peer, keyed by peer id. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> stats() {
        return (Map<String, Map<String, Object>>) page.evaluate("""
                async () => {
                  const { summarize } = await import('/sdk/index.js');
                  const out = {};
                  for (const id of window.rtc4jApp.room.peers.keys()) {
                    const link = window.rtc4jApp.room.link(id);
                    if (link) out[id] = summarize(await link.pc.getStats(), null);
                  }
                  return out;
                }""");
    }

    /**
     * Waits until, for every remote peer, decoded video frames and received audio packets have grown past the
     * given sample: media keeps flowing, not just arrived once.
     */
    void waitForMediaBeyond(Map<String, Map<String, Object>> before) {
        waitOrExplain(() -> page.waitForFunction("""
                async (before) => {
                  const { summarize } = await import('/sdk/index.js');
                  for (const [id, b] of Object.entries(before)) {
                    const link = window.rtc4jApp.room.link(id);
                    if (!link) return false;
                    const s = summarize(await link.pc.getStats(), null);
                    if (!(s.framesDecoded > b.framesDecoded + 5 && s.audioPacketsReceived > b.audioPacketsReceived + 10)) return false;
                  }
                  return true;
                }""", before, new Page.WaitForFunctionOptions().setTimeout(WAIT_MS).setPollingInterval(500)));
    }

    void screenshot(java.nio.file.Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file));
    }

    void close() {
        page.context().close();
    }
}
