package io.rtc4j.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * One headless Debian Chromium (never a downloaded browser) inside a {@link LoopbackNamespace}, driven by
 * Playwright for Java over its pipe: Playwright starts a small wrapper script that execs
 * {@code ip netns exec NS /usr/bin/chromium}, and the pipe's file descriptors survive the exec. Each
 * participant is a separate browser context (own storage, own fake devices), which is much cheaper than one
 * browser per participant on a 2-core machine.
 */
final class ChromiumInNamespace implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** ENGINEERING.md §4, plus --disable-quic, and plain host candidates instead of mDNS names. */
    static final List<String> FLAGS = List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--allow-loopback-in-peer-connection",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--auto-accept-this-tab-capture",
            "--autoplay-policy=no-user-gesture-required",
            "--disable-features=WebRtcHideLocalIpsWithMdns",
            // several participants share one renderer budget: keep hidden pages running at full rate
            "--disable-background-timer-throttling",
            "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows");

    private final Playwright playwright;
    private final Browser browser;
    private final Path wrapper;

    ChromiumInNamespace(LoopbackNamespace ns, Path outDir) throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium (.ci/run does)");
        }
        Files.createDirectories(outDir);
        wrapper = outDir.resolve("chromium-" + ns.name() + ".sh");
        Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + ns.name() + " " + CHROMIUM + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(wrapper)
                    .setHeadless(true)
                    .setArgs(FLAGS)
                    .setTimeout(60_000));
        } catch (RuntimeException e) {
            playwright.close();
            Files.deleteIfExists(wrapper);
            throw e;
        }
    }

    /** A new participant: its own context and page, camera and microphone allowed. */
    Page newPage() {
        BrowserContext ctx = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 720)
                .setPermissions(List.of("camera", "microphone"))
                .setAcceptDownloads(true));
        ctx.setDefaultTimeout(30_000);
        return ctx.newPage();
    }

    String version() {
        return browser.version();
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
            try {
                Files.deleteIfExists(wrapper);
            } catch (IOException e) {
                System.err.println("e2e: cannot delete " + wrapper + ": " + e);
            }
        }
    }
}
