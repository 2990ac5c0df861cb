// The Chromium side of ChromiumPeerInteropTest: one scenario per page load (?s=NAME), parameters from /config,
// findings posted to /check ("ok ..." or "failure ..."), the end to /done. Runs in a loopback-only namespace.
'use strict';
const MiB = 1 << 20;
const post = async (path, body) => (await fetch(path, {method: 'POST', body})).text();
const check = line => post('/check', line);
const sleep = ms => new Promise(r => setTimeout(r, ms));

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error('timeout: ' + what)), ms); })])
    .finally(() => clearTimeout(t));
}

function gathered(pc) {
  return new Promise(res => {
    if (pc.iceGatheringState === 'complete') return res();
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') res(); });
  });
}

function opened(ch) {
  return new Promise((res, rej) => {
    if (ch.readyState === 'open') return res();
    ch.addEventListener('open', () => res());
    ch.addEventListener('close', () => rej(new Error('channel ' + ch.label + ' closed before opening')));
  });
}

function closed(ch) {
  return new Promise(res => { if (ch.readyState === 'closed') res(); else ch.addEventListener('close', () => res()); });
}

// Messages of one channel, in order, awaited one by one.
function inbox(ch) {
  ch.binaryType = 'arraybuffer';
  const q = [], waiters = [];
  ch.onmessage = e => { if (waiters.length) waiters.shift()(e.data); else q.push(e.data); };
  return { next: (ms = 60000) => withTimeout(q.length ? Promise.resolve(q.shift()) : new Promise(r => waiters.push(r)), ms, 'message on ' + ch.label) };
}

// The byte stream both sides know: byte i = (131 i + 7 (i >> 16) + (i >> 24)) mod 256 (same in Java).
function streamBytes(off, n) {
  const b = new Uint8Array(n);
  for (let k = 0; k < n; k++) { const i = off + k; b[k] = (i * 131 + Math.floor(i / 65536) * 7 + Math.floor(i / 16777216)) & 255; }
  return b;
}

function pattern(n, seed = 1) { const b = new Uint8Array(n); for (let k = 0; k < n; k++) b[k] = (k * 31 + seed * 17) & 255; return b; }

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Sends one message and checks that the echo has the same kind and content.
async function echoOne(ch, box, msg, what) {
  ch.send(msg);
  const got = await box.next(60000);
  if (typeof msg === 'string') {
    if (typeof got !== 'string' || got !== msg) throw new Error(what + ': text echo differs (' + typeof got + ', ' + (got.length ?? got.byteLength) + ')');
  } else if (!(got instanceof ArrayBuffer) || !sameBytes(new Uint8Array(got), msg)) {
    throw new Error(what + ': binary echo differs (' + (typeof got === 'string' ? 'text' : got.byteLength + ' bytes') + ')');
  }
}

async function echoChecks(ch, box) {
  const cases = ['hello', '', 'ünïcødé ✓ 😀', new Uint8Array([0, 1, 2, 255]), new Uint8Array(0), pattern(1199), pattern(16384, 2), 'x'.repeat(5000)];
  for (let i = 0; i < cases.length; i++) await echoOne(ch, box, cases[i], ch.label + ' case ' + i);
  return cases.length;
}

// Sends total bytes of the stream in messages of size bytes, keeping bufferedAmount under 8 MiB.
async function sendStream(ch, total, size) {
  ch.bufferedAmountLowThreshold = 2 * MiB;
  for (let off = 0; off < total;) {
    if (ch.bufferedAmount > 8 * MiB) {
      await withTimeout(new Promise(r => { ch.onbufferedamountlow = () => r(); }), 120000, 'bufferedamountlow');
      continue;
    }
    const n = Math.min(size, total - off);
    ch.send(streamBytes(off, n));
    off += n;
  }
}

// FIPS 180-4 SHA-256, incremental (crypto.subtle has no streaming digest).
const SHA_K = new Uint32Array(64), SHA_H0 = new Uint32Array(8);
(() => {
  const primes = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every(p => n % p)) primes.push(n);
  const frac32 = x => Math.floor((x - Math.floor(x)) * 4294967296);
  primes.forEach((p, i) => { SHA_K[i] = frac32(Math.cbrt(p)); if (i < 8) SHA_H0[i] = frac32(Math.sqrt(p)); });
})();
class Sha256 {
  constructor() { this.h = new Uint32Array(SHA_H0); this.buf = new Uint8Array(64); this.n = 0; this.len = 0; this.w = new Uint32Array(64); }
  update(d) {
    let i = 0;
    this.len += d.length;
    if (this.n) {
      while (this.n < 64 && i < d.length) this.buf[this.n++] = d[i++];
      if (this.n < 64) return;
      this.block(this.buf, 0); this.n = 0;
    }
    for (; i + 64 <= d.length; i += 64) this.block(d, i);
    while (i < d.length) this.buf[this.n++] = d[i++];
  }
  block(b, o) {
    const w = this.w, h = this.h;
    for (let t = 0; t < 16; t++) w[t] = (b[o + 4 * t] << 24) | (b[o + 4 * t + 1] << 16) | (b[o + 4 * t + 2] << 8) | b[o + 4 * t + 3];
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15], y = w[t - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    let a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + SHA_K[t] + w[t]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  hex() {
    const bits = this.len * 8;
    const pad = new Uint8Array((this.n < 56 ? 56 - this.n : 120 - this.n) + 8);
    pad[0] = 0x80;
    const hi = Math.floor(bits / 4294967296), lo = bits >>> 0;
    for (let k = 0; k < 4; k++) { pad[pad.length - 8 + k] = (hi >>> (24 - 8 * k)) & 255; pad[pad.length - 4 + k] = (lo >>> (24 - 8 * k)) & 255; }
    this.update(pad);
    return Array.from(this.h, x => x.toString(16).padStart(8, '0')).join('');
  }
}

// The issue-5 contract on the answering side (as `rtc4j peer answer` does it), plus two test channels:
// 'sink' answers END with "count sha256hex"; 'echo' closes itself on the text "close-yourself".
function serveContract(ch) {
  ch.binaryType = 'arraybuffer';
  if (ch.label === 'bulk' || ch.label === 'sink') {
    let n = 0, sha = new Sha256();
    ch.onmessage = e => {
      if (typeof e.data !== 'string') { n += e.data.byteLength; if (ch.label === 'sink') sha.update(new Uint8Array(e.data)); }
      else if (e.data === 'END') { ch.send(ch.label === 'sink' ? n + ' ' + sha.hex() : String(n)); n = 0; sha = new Sha256(); }
    };
  } else {
    ch.onmessage = e => { if (e.data === 'close-yourself') ch.close(); else ch.send(e.data); };
  }
  ch.addEventListener('close', () => check('ok chromium saw ' + ch.label + ' closed'));
}

function candidates(sdp) {
  return sdp.split(/\r?\n/).filter(l => l.startsWith('a=candidate:')).map(l => { const f = l.split(' '); return f[4] + ':' + f[5] + '/' + f[7]; }).join(',') || 'none';
}

async function pairTypes(pc) {
  const stats = await pc.getStats();
  for (const s of stats.values()) {
    if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
      return stats.get(s.localCandidateId).candidateType + '-' + stats.get(s.remoteCandidateId).candidateType;
    }
  }
  return 'none';
}

// Bulk throughput from this page to an offer URL (rtc4j peer answer, or another Chromium through the check
// JVM), one job at a time from /sender/next-job; the same chunk again and again, as `rtc4j peer offer` does.
async function bulkJob(job) {
  const pc = new RTCPeerConnection();
  const bulk = pc.createDataChannel('bulk');
  await pc.setLocalDescription();
  await withTimeout(gathered(pc), 30000, 'gathering');
  const t0 = performance.now();
  const r = await fetch(job.url, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({type: 'offer', sdp: pc.localDescription.sdp})});
  await pc.setRemoteDescription(await r.json());
  await withTimeout(opened(bulk), 30000, 'open');
  const connectMs = performance.now() - t0;
  const box = inbox(bulk), total = job.mib * MiB, chunk = pattern(job.msgSize);
  const t1 = performance.now();
  bulk.bufferedAmountLowThreshold = 2 * MiB;
  for (let off = 0; off < total;) {
    if (bulk.bufferedAmount > 8 * MiB) {
      await withTimeout(new Promise(res => { bulk.onbufferedamountlow = () => res(); }), 120000, 'bufferedamountlow');
      continue;
    }
    const n = Math.min(job.msgSize, total - off);
    bulk.send(n === chunk.length ? chunk : chunk.subarray(0, n));
    off += n;
  }
  bulk.send('END');
  const count = await box.next(300000), secs = (performance.now() - t1) / 1000;
  pc.close();
  return {ok: count === String(total), bytes: total, secs, mbps: total / 1e6 / secs, connect_ms: connectMs, count};
}

const scenarios = {
  async 'bulk-sender'(cfg) {
    for (;;) {
      const job = await (await fetch('/sender/next-job')).json();
      if (job.stop) return;
      let result;
      try { result = await bulkJob(job); } catch (e) { result = {ok: false, error: e.name + ': ' + e.message}; }
      await post('/sender/result', JSON.stringify(result));
    }
  },

  // Chromium offers, the rtc4j RtcPeerConnection in the check JVM answers.
  async 'chromium-offers'(cfg) {
    const pc = new RTCPeerConnection({iceServers: cfg.iceServers || [], iceTransportPolicy: cfg.policy || 'all'});
    const echo = pc.createDataChannel('echo'), sha = pc.createDataChannel('sha'), closeme = pc.createDataChannel('closeme');
    const neg = pc.createDataChannel('neg', {negotiated: true, id: 9});
    const trickled = [], errors = [];
    pc.onicecandidate = e => { if (e.candidate && e.candidate.candidate) trickled.push(e.candidate.candidate); };
    pc.onicecandidateerror = e => errors.push(e.errorCode + ' ' + e.errorText);
    await pc.setLocalDescription();
    if (cfg.gatheringMayStall) {
      // Chromium may never finish gathering here (see ChromiumPeerInteropTest): go on with what it has
      const done = await withTimeout(gathered(pc), 20000, 'gathering').then(() => true, () => false);
      await check('ok chromium gathering ' + (done ? 'complete' : 'still ' + pc.iceGatheringState + ' after 20 s'));
    } else {
      await withTimeout(gathered(pc), 30000, 'gathering');
    }
    await check('ok chromium-offer-candidates ' + candidates(pc.localDescription.sdp) + ' trickled=' + trickled.length
      + (errors.length ? ' candidate-errors=' + errors.join(';') : ''));
    await pc.setRemoteDescription({type: 'answer', sdp: await post('/rtc4j/answer', pc.localDescription.sdp)});
    await withTimeout(Promise.all([echo, sha, closeme, neg].map(opened)), 30000, 'channels open');
    await check('ok opened echo sha closeme neg pair=' + await pairTypes(pc));
    await check('ok echo ' + await echoChecks(echo, inbox(echo)) + ' messages');
    const nb = inbox(neg);
    await check('ok negotiated echo ' + await echoChecks(neg, nb) + ' messages');
    const max = pc.sctp.maxMessageSize;
    await echoOne(neg, nb, pattern(max, 3), 'max-size');
    await check('ok max-size ' + max);
    closeme.send('close please');
    await withTimeout(closed(closeme), 20000, 'rtc4j closing closeme');
    await check('ok rtc4j-initiated close seen by chromium');
    const sb = inbox(sha), t0 = performance.now();
    await sendStream(sha, cfg.mib * MiB, 65536);
    sha.send('END');
    const reply = await sb.next(600000);
    await check('sha-reply ' + reply + ' secs=' + ((performance.now() - t0) / 1000).toFixed(3));
    echo.close();
    await withTimeout(closed(echo), 20000, 'closing echo');
    await check('ok chromium closed echo');
  },

  // The rtc4j RtcPeerConnection in the check JVM offers; Chromium answers and serves the contract.
  async 'rtc4j-offers'(cfg) {
    const self = new Sha256(); self.update(new TextEncoder().encode('abc'));
    await check((self.hex() === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' ? 'ok' : 'failure') + ' page sha256 self-test');
    const pc = new RTCPeerConnection();
    pc.ondatachannel = e => serveContract(e.channel);
    serveContract(pc.createDataChannel('neg', {negotiated: true, id: 9}));
    await pc.setRemoteDescription({type: 'offer', sdp: await (await fetch('/rtc4j/offer')).text()});
    await pc.setLocalDescription();
    await withTimeout(gathered(pc), 30000, 'gathering');
    await post('/rtc4j/chromium-answer', pc.localDescription.sdp);
    await withTimeout(new Promise(r => { pc.onconnectionstatechange = () => { if (pc.connectionState === 'closed' || pc.connectionState === 'failed') r(); }; }), 600000, 'the end').catch(() => {});
  },

  // A page of another origin posts its offer to `rtc4j peer answer` (CORS), then echo and bulk per the contract.
  async 'page-to-peer-answer'(cfg) {
    const health = await (await fetch(cfg.health)).text();
    await check('ok health ' + health);
    const pc = new RTCPeerConnection();
    const echo = pc.createDataChannel('echo'), bulk = pc.createDataChannel('bulk');
    await pc.setLocalDescription();
    await withTimeout(gathered(pc), 30000, 'gathering');
    const r = await fetch(cfg.offerUrl, {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({type: 'offer', sdp: pc.localDescription.sdp})});
    const answer = await r.json();
    await check('ok peer-answer-candidates ' + candidates(answer.sdp));
    await pc.setRemoteDescription(answer);
    await withTimeout(Promise.all([echo, bulk].map(opened)), 30000, 'channels open');
    const eb = inbox(echo);
    await check('ok echo ' + await echoChecks(echo, eb) + ' messages');
    await echoOne(echo, eb, pattern(pc.sctp.maxMessageSize, 4), 'max-size');
    await check('ok max-size ' + pc.sctp.maxMessageSize);
    const bb = inbox(bulk), t0 = performance.now();
    await sendStream(bulk, cfg.mib * MiB, 65536);
    bulk.send('END');
    const count = await bb.next(600000), secs = (performance.now() - t0) / 1000;
    await check((count === String(cfg.mib * MiB) ? 'ok' : 'failure') + ' bulk count ' + count + ' secs=' + secs.toFixed(3)
      + ' mbps=' + (cfg.mib * MiB / 1e6 / secs).toFixed(2));
    pc.close();
  },

  // `rtc4j peer offer --url` posts to the check JVM, which hands each offer to this page and returns its answer.
  async 'peer-offer-to-page'(cfg) {
    for (let i = 0; i < cfg.offers; i++) {
      const offer = await (await fetch('/page/next-offer')).text();
      const pc = new RTCPeerConnection();
      pc.ondatachannel = e => serveContract(e.channel);
      pc.onconnectionstatechange = () => { if (pc.connectionState === 'failed' || pc.connectionState === 'disconnected') pc.close(); };
      await pc.setRemoteDescription({type: 'offer', sdp: offer});
      await pc.setLocalDescription();
      await withTimeout(gathered(pc), 30000, 'gathering');
      await post('/page/answer', pc.localDescription.sdp);
    }
    await sleep(600000); // the check JVM ends the browser
  },
};

(async () => {
  const s = new URLSearchParams(location.search).get('s');
  try {
    const cfg = await (await fetch('/config')).json();
    await scenarios[s](cfg);
    await post('/done', 'ok');
  } catch (e) {
    await post('/done', 'failure ' + s + ': ' + e.name + ': ' + e.message);
  }
})();
