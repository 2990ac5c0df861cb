// Chromium-to-Chromium anchor for bench/ice.sh: two RTCPeerConnections in one page, host candidates trickled
// to each other at once; prints one line per run: ms from creating the connections until both report
// iceConnectionState "connected" or "completed" (this includes the offer/answer calls, which rtc4j's figure
// has no counterpart for). Run inside a network namespace of its own (bench/ice.sh makes one with lo and a
// veth pair) so every candidate is local to it. Usage: PLAYWRIGHT_DIR=<dir with node_modules> node
// ice-chromium.mjs RUNS WARMUP
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(process.env.PLAYWRIGHT_DIR + '/');
const { chromium } = require('playwright-core');
const runs = Number(process.argv[2] || 50);
const warmup = Number(process.argv[3] || 5);

const page = `<!doctype html><script>
async function once() {
  const t0 = performance.now();
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = e => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = e => e.candidate && a.addIceCandidate(e.candidate);
  const up = pc => new Promise(r => {
    const check = () => (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') && r(performance.now());
    pc.addEventListener('iceconnectionstatechange', check); check();
  });
  const done = Promise.all([up(a), up(b)]);
  a.createDataChannel('bench');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  const timeout = new Promise((_, j) => setTimeout(() => j(new Error('no ICE connection in 20 s')), 20000));
  const [ta, tb] = await Promise.race([done, timeout]);
  a.close(); b.close();
  return Math.max(ta, tb) - t0;
}
</script>`;

const server = http.createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(page); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns'],
});
try {
  const p = await browser.newPage();
  await p.goto(`http://127.0.0.1:${server.address().port}/`);
  for (let i = 0; i < warmup; i++) await p.evaluate('once()');
  const out = [];
  for (let i = 0; i < runs; i++) out.push(await p.evaluate('once()'));
  process.stdout.write(out.map(v => v.toFixed(3)).join('\n') + '\n');
} finally {
  await browser.close();
  server.close();
}
