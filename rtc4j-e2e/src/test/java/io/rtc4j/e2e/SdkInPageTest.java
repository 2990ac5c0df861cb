package io.rtc4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's pieces that need no signaling server, in real headless Chromium inside a loopback-only namespace:
 * file transfer with backpressure and SHA-256 verification, the recorder's WebM output, the screen-share path
 * of LocalMedia, and the stats summary of a live connection. Pages come from the classpath by request
 * interception ({@link ClasspathSite}); the two peers are two RTCPeerConnections of one page.
 */
class SdkInPageTest {
    private static final Path OUT = Path.of(System.getProperty("rtc4j.e2e.out", "target/e2e"));
    private static LoopbackNamespace ns;
    private static ChromiumInNamespace chromium;
    private Page page;

    @BeforeAll
    static void startBrowser() throws IOException {
        ns = LoopbackNamespace.create();
        try {
            chromium = new ChromiumInNamespace(ns, OUT);
        } catch (RuntimeException | IOException e) {
            ns.close();
            throw e;
        }
    }

    @AfterAll
    static void stopBrowser() {
        try {
            if (chromium != null) chromium.close();
        } finally {
            if (ns != null) ns.close();
        }
    }

    @BeforeEach
    void openPage() throws IOException {
        page = chromium.newPage();
        BrowserContext ctx = page.context();
        ClasspathSite.install(ctx, Map.of("/test.html", "<!doctype html><title>sdk test</title><body></body>"));
        page.navigate(ClasspathSite.ORIGIN + "/test.html");
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(resource("e2e/local-pair.js")));
    }

    @AfterEach
    void closePage() {
        page.context().close();
    }

    @Test
    void fileOfFiveMebibytesArrivesInChunksWithMatchingSha256() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { DataLink, sha256Hex } = await import('/sdk/index.js');
                  const { ca, cb } = await localPair();
                  const sender = new DataLink(ca, 'A'), receiver = new DataLink(cb, 'B');
                  const bytes = new Uint8Array(5 * 1024 * 1024 + 123);
                  for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
                  const file = new File([bytes], 'random.bin', { type: 'application/octet-stream' });
                  const progress = [];
                  let maxBuffered = 0;
                  receiver.on('file_progress', (e) => { progress.push(e.bytes); maxBuffered = Math.max(maxBuffered, ca.bufferedAmount); });
                  const hello = new Promise((r) => receiver.on('hello', r));
                  const received = new Promise((r) => receiver.on('file_received', r));
                  await sender.sendFile(file);
                  const got = await received;
                  return { expected: await sha256Hex(file), got: got.sha256, verified: got.verified, size: got.size,
                           name: got.name, blobSize: got.blob.size, progress, hello: (await hello).name, maxBuffered };
                }""");
        assertThat(r.get("verified")).isEqualTo(true);
        assertThat(r.get("got")).isEqualTo(r.get("expected"));
        assertThat(((Number) r.get("size")).longValue()).isEqualTo(5L * 1024 * 1024 + 123);
        assertThat(((Number) r.get("blobSize")).longValue()).isEqualTo(5L * 1024 * 1024 + 123);
        assertThat(r.get("name")).isEqualTo("random.bin");
        assertThat(r.get("hello")).isEqualTo("A");
        List<Number> progress = progressOf(r);
        assertThat(progress).hasSizeGreaterThan(10);
        assertThat(progress).isSortedAccordingTo((x, y) -> Long.compare(x.longValue(), y.longValue()));
        assertThat(progress.getLast().longValue()).isEqualTo(5L * 1024 * 1024 + 123);
        // backpressure: the sender never queued much more than the high-water mark (1 MiB + one chunk)
        assertThat(((Number) r.get("maxBuffered")).longValue()).isLessThanOrEqualTo(1024 * 1024 + 16 * 1024);
    }

    @Test
    void receiverFlagsAFileWhoseDigestDoesNotMatch() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { DataLink } = await import('/sdk/index.js');
                  const { ca, cb } = await localPair();
                  const sender = new DataLink(ca, 'A'), receiver = new DataLink(cb, 'B');
                  const received = new Promise((r) => receiver.on('file_received', r));
                  await sender.sendFile(new File(['hello world'], 'h.txt'), { sha256: '00'.repeat(32) });
                  const got = await received;
                  return { verified: got.verified, sha256: got.sha256 };
                }""");
        assertThat(r.get("verified")).isEqualTo(false);
        // SHA-256("hello world")
        assertThat(r.get("sha256")).isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    }

    @Test
    void recordingIsWebmInOneSecondChunks() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { StreamRecorder } = await import('/sdk/index.js');
                  const canvas = Object.assign(document.createElement('canvas'), { width: 160, height: 90 });
                  const g = canvas.getContext('2d');
                  let n = 0;
                  const timer = setInterval(() => { g.fillStyle = `hsl(${(n += 20) % 360} 80% 50%)`; g.fillRect(0, 0, 160, 90); }, 50);
                  const rec = new StreamRecorder(canvas.captureStream(20), { timesliceMs: 1000 });
                  const chunks = [];
                  rec.on('chunk', (c) => chunks.push(c.size));
                  rec.start();
                  await new Promise((res) => { const t = setInterval(() => { if (chunks.length >= 2) { clearInterval(t); res(); } }, 100); });
                  const blob = await rec.stop();
                  clearInterval(timer);
                  const head = [...new Uint8Array(await blob.slice(0, 4).arrayBuffer())];
                  return { size: blob.size, head, chunks: chunks.length, type: blob.type };
                }""");
        assertThat(((Number) r.get("size")).longValue()).isPositive();
        assertThat(r.get("chunks")).matches(c -> ((Number) c).intValue() >= 2);
        assertThat(r.get("type")).isEqualTo("video/webm");
        // EBML magic (RFC 8794 §8): 1A 45 DF A3
        assertThat(((List<?>) r.get("head")).stream().map(x -> ((Number) x).intValue()).toList())
                .containsExactly(0x1A, 0x45, 0xDF, 0xA3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void screenShareReplacesTheCameraAndReturnsToItWhenSharingEnds() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { LocalMedia } = await import('/sdk/index.js');
                  const media = new LocalMedia({ audio: true, video: { width: 320, height: 180 } });
                  const err = await media.start();
                  const camera = media.outgoing('video');
                  const changes = [], errors = [];
                  media.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
                  media.on('track_changed', (e) => changes.push(e.track?.id ?? null));
                  const canvas = Object.assign(document.createElement('canvas'), { width: 160, height: 90 });
                  canvas.getContext('2d').fillRect(0, 0, 160, 90);
                  const screen = canvas.captureStream(5).getVideoTracks()[0];
                  await media.startScreenShare(screen);
                  const during = { outgoing: media.outgoing('video').id, inStream: media.stream.getVideoTracks().map((t) => t.id),
                                   sharing: media.sharingScreen };
                  screen.dispatchEvent(new Event('ended')); // what the browser fires when the user stops sharing
                  const after = { outgoing: media.outgoing('video')?.id, inStream: media.stream.getVideoTracks().map((t) => t.id),
                                  sharing: media.sharingScreen };
                  let displayMedia;
                  try { const s = await navigator.mediaDevices.getDisplayMedia({ video: true }); displayMedia = 'available';
                        s.getTracks().forEach((t) => t.stop()); }
                  catch (e) { displayMedia = e.name; }
                  return { err, camera: camera.id, screen: screen.id, during, after, changes,
                           audio: media.outgoing('audio')?.kind, displayMedia };
                }""");
        System.out.println("getDisplayMedia in headless Chromium: " + r.get("displayMedia"));
        assertThat(r.get("err")).isNull();
        assertThat(r.get("audio")).isEqualTo("audio");
        Map<?, ?> during = (Map<?, ?>) r.get("during");
        Map<?, ?> after = (Map<?, ?>) r.get("after");
        assertThat(during.get("outgoing")).isEqualTo(r.get("screen"));
        assertThat((List<Object>) during.get("inStream")).containsExactly(r.get("screen"));
        assertThat(during.get("sharing")).isEqualTo(true);
        assertThat(after.get("outgoing")).isEqualTo(r.get("camera"));
        assertThat((List<Object>) after.get("inStream")).containsExactly(r.get("camera"));
        assertThat(after.get("sharing")).isEqualTo(false);
        assertThat((List<Object>) r.get("changes")).containsExactly(r.get("screen"), r.get("camera"));
    }

    @Test
    void muteCameraOffAndDeviceSwitchChangeWhatIsSent() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { LocalMedia } = await import('/sdk/index.js');
                  const media = new LocalMedia({ audio: true, video: { width: 320, height: 180 } });
                  await media.start();
                  const changes = [], errors = [];
                  media.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
                  media.on('track_changed', (e) => changes.push(`${e.kind}:${e.track ? 'track' : 'none'}`));
                  const camera = media.outgoing('video');
                  media.setMicEnabled(false);
                  const micMuted = media.outgoing('audio').enabled === false;
                  await media.setCameraEnabled(false);
                  const off = { outgoing: media.outgoing('video'), cameraEnded: camera.readyState === 'ended',
                                inStream: media.stream.getVideoTracks().length };
                  await media.setCameraEnabled(true);
                  const back = media.outgoing('video');
                  const backIsNew = !!back && back.id !== camera.id && back.readyState === 'live';
                  const { video } = await media.devices();
                  await media.switchDevice('video', video[0].deviceId);
                  const switched = media.outgoing('video');
                  media.setMicEnabled(true);
                  return { micMuted, micBack: media.outgoing('audio').enabled, offOutgoing: off.outgoing, cameraEnded: off.cameraEnded,
                           offInStream: off.inStream, backIsNew,
                           videoDevices: video.length, switchedIsNew: switched.id !== back.id && back.readyState === 'ended',
                           changes, errors };
                }""");
        assertThat(r.get("micMuted")).isEqualTo(true);
        assertThat(r.get("micBack")).isEqualTo(true);
        assertThat(r.get("offOutgoing")).isNull();
        assertThat(r.get("cameraEnded")).as("camera off releases the device").isEqualTo(true);
        assertThat(((Number) r.get("offInStream")).intValue()).isZero();
        assertThat(r.get("backIsNew")).isEqualTo(true);
        assertThat(castList(r.get("errors"))).isEmpty();
        assertThat(((Number) r.get("videoDevices")).intValue()).isPositive();
        assertThat(r.get("switchedIsNew")).isEqualTo(true);
        assertThat(castList(r.get("changes"))).containsExactly("video:none", "video:track", "video:track");
    }

    @Test
    void appExplainsADeniedCameraAndAnUnreachableServer() {
        // No server behind the classpath site's origin: the WebSocket is refused. getUserMedia is made to fail
        // the way Chromium fails it when the person blocks the camera.
        page.addInitScript("navigator.mediaDevices.getUserMedia = () =>"
                + " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));");
        page.navigate(ClasspathSite.ORIGIN + "/?room=r1&name=Ada");
        page.waitForFunction("() => !document.getElementById('join-error').hidden");
        assertThat(page.textContent("#join-error")).contains("Camera or microphone access was denied");
        page.click("#join-button");
        page.waitForFunction("() => [...document.querySelectorAll('.toast')].some((t) =>"
                + " t.textContent.includes('server cannot be reached'))"
                + " && document.getElementById('signaling-state').dataset.state === 'reconnecting'");
        assertThat(page.textContent(".tile.self .name")).isEqualTo("Ada (you)");
        assertThat(page.isVisible(".tile.self .avatar")).as("an avatar stands in for the missing camera").isTrue();
    }

    @Test
    void perfectNegotiationResolvesGlareWhenBothSidesRestartIceAtOnce() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { PeerLink } = await import('/sdk/index.js');
                  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 160, height: 90 } });
                  const links = {};
                  let offers = 0;
                  // in-page signaling with a little latency, so that both offers are in flight at once
                  const signaling = { signal: (type, target, payload) => {
                    if (type === 'offer') offers++;
                    setTimeout(() => links[target].handleSignal(type, payload), 20);
                  } };
                  const make = (self, peer, offerer) => new PeerLink({ peerId: peer, selfId: self, rtcConfig: {}, signaling,
                    localStream: media, outgoing: (k) => media.getTracks().find((t) => t.kind === k) ?? null, offerer, name: self });
                  links.b = make('b', 'a', false);   // b's link to a: impolite ('b' > 'a'), answers the first offer
                  links.a = make('a', 'b', true);    // a's link to b: polite, the newcomer that offers
                  const ready = () => ['a', 'b'].every((k) => links[k].pc.connectionState === 'connected'
                    && links[k].pc.signalingState === 'stable' && links[k].remoteStream.getVideoTracks().length === 1);
                  const until = async (cond) => { for (let i = 0; i < 150 && !cond(); i++) await new Promise((res) => setTimeout(res, 100)); return cond(); };
                  if (!(await until(ready))) return { connected: false };
                  const ufrag = (k) => links[k].pc.localDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];
                  const before = { a: ufrag('a'), b: ufrag('b') };
                  const offersBefore = offers;
                  links.a.restartIce();
                  links.b.restartIce();
                  const settled = await until(() => ready() && ufrag('a') !== before.a && ufrag('b') !== before.b);
                  const out = { connected: true, settled, glareOffers: offers - offersBefore,
                    states: ['a', 'b'].map((k) => `${links[k].pc.signalingState}/${links[k].pc.connectionState}`) };
                  links.a.close(); links.b.close();
                  return out;
                }""");
        assertThat(r.get("connected")).as("first negotiation").isEqualTo(true);
        assertThat(r.get("settled")).as("after simultaneous ICE restarts: %s", r).isEqualTo(true);
        // both sides offered at once (a collision), yet the outcome is one stable session with new credentials
        assertThat(((Number) r.get("glareOffers")).intValue()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void statsSummaryReportsMediaAndTheSelectedHostPair() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { StatsSampler } = await import('/sdk/index.js');
                  const { a, b } = await localPair({ withVideo: true });
                  b.ontrack = (e) => { const v = document.createElement('video'); v.muted = true; v.srcObject = e.streams[0];
                                       document.body.append(v); v.play().catch(() => {}); };
                  const rx = new StatsSampler(b, 250), tx = new StatsSampler(a, 250);
                  let last = null;
                  for (let i = 0; i < 80; i++) {
                    await new Promise((res) => setTimeout(res, 250));
                    const s = await rx.sample(); const t = await tx.sample();
                    if (s && t && s.framesDecoded > 10 && s.bitrateIn > 0 && t.bitrateOut > 0 && s.audioPacketsReceived > 10
                        && s.candidateType) { last = { rx: s, tx: t }; break; }
                  }
                  rx.stop(); tx.stop();
                  return last;
                }""");
        assertThat(r).as("stats never showed decoded video, audio packets and bitrate").isNotNull();
        Map<?, ?> rx = (Map<?, ?>) r.get("rx");
        Map<?, ?> tx = (Map<?, ?>) r.get("tx");
        assertThat(rx.get("candidateType")).isEqualTo("host");
        assertThat(((Number) rx.get("bitrateIn")).doubleValue()).isPositive();
        assertThat(((Number) tx.get("bitrateOut")).doubleValue()).isPositive();
        assertThat(((Number) rx.get("lossPercent")).doubleValue()).isBetween(0.0, 100.0);
        assertThat(rx.get("jitterMs")).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Number> progressOf(Map<String, Object> r) {
        return (List<Number>) r.get("progress");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SdkInPageTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
