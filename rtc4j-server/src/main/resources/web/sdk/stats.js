// Periodic getStats for one RTCPeerConnection, reduced to the numbers a person looks at:
// bitrate in/out, packet loss, RTT, jitter, fps and the selected candidate pair's type.
import { Emitter } from './emitter.js';

/**
 * Reduces one RTCStatsReport, given the previous sample (or null), to a plain summary object.
 * Exported for tests and for apps that call getStats themselves.
 */
export function summarize(report, prev) {
  const s = {
    timestamp: 0, bytesIn: 0, bytesOut: 0, bitrateIn: 0, bitrateOut: 0,
    packetsReceived: 0, packetsLost: 0, lossPercent: 0, rttMs: null, jitterMs: null, fps: null,
    framesDecoded: 0, audioPacketsReceived: 0, videoPacketsReceived: 0,
    candidateType: null, remoteCandidateType: null, localAddress: null, remoteAddress: null, relayProtocol: null, relayUrl: null,
  };
  let pair = null;
  const byId = new Map();
  report.forEach((r) => byId.set(r.id, r));
  report.forEach((r) => {
    s.timestamp = Math.max(s.timestamp, r.timestamp ?? 0);
    switch (r.type) {
      case 'inbound-rtp':
        s.bytesIn += r.bytesReceived ?? 0;
        s.packetsReceived += r.packetsReceived ?? 0;
        s.packetsLost += Math.max(0, r.packetsLost ?? 0);
        if (r.kind === 'video') {
          s.framesDecoded += r.framesDecoded ?? 0;
          s.videoPacketsReceived += r.packetsReceived ?? 0;
          if (r.framesPerSecond != null) s.fps = Math.max(s.fps ?? 0, r.framesPerSecond);
        } else if (r.kind === 'audio') {
          s.audioPacketsReceived += r.packetsReceived ?? 0;
          if (r.jitter != null) s.jitterMs = r.jitter * 1000;
        }
        if (r.kind === 'video' && s.jitterMs == null && r.jitter != null) s.jitterMs = r.jitter * 1000;
        break;
      case 'outbound-rtp':
        s.bytesOut += r.bytesSent ?? 0;
        break;
      case 'transport':
        if (r.selectedCandidatePairId) pair = byId.get(r.selectedCandidatePairId) ?? pair;
        break;
      default:
        break;
    }
  });
  if (!pair) report.forEach((r) => { if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r; });
  if (pair) {
    s.bytesIn = Math.max(s.bytesIn, 0);
    if (pair.currentRoundTripTime != null) s.rttMs = pair.currentRoundTripTime * 1000;
    const local = byId.get(pair.localCandidateId);
    const remote = byId.get(pair.remoteCandidateId);
    s.candidateType = local?.candidateType ?? null;
    s.remoteCandidateType = remote?.candidateType ?? null;
    s.relayProtocol = local?.relayProtocol ?? null;
    s.relayUrl = local?.candidateType === 'relay' ? (local.url ?? null) : null;
    s.localAddress = local ? `${local.address ?? local.ip}:${local.port}` : null;
    s.remoteAddress = remote ? `${remote.address ?? remote.ip}:${remote.port}` : null;
  }
  const total = s.packetsReceived + s.packetsLost;
  s.lossPercent = total > 0 ? (100 * s.packetsLost) / total : 0;
  if (prev && s.timestamp > prev.timestamp) {
    const dt = (s.timestamp - prev.timestamp) / 1000;
    s.bitrateIn = Math.max(0, (8 * (s.bytesIn - prev.bytesIn)) / dt);
    s.bitrateOut = Math.max(0, (8 * (s.bytesOut - prev.bytesOut)) / dt);
  }
  return s;
}

/** Samples one connection every `intervalMs`. Events: `stats` (the summary). */
export class StatsSampler extends Emitter {
  #pc; #timer = null; #prev = null; #busy = false;
  latest = null;

  constructor(pc, intervalMs = 1000) {
    super();
    this.#pc = pc;
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  async sample() {
    if (this.#busy || this.#pc.connectionState === 'closed') return this.latest;
    this.#busy = true;
    try {
      const s = summarize(await this.#pc.getStats(), this.#prev);
      this.#prev = s;
      this.latest = s;
      this.emit('stats', s);
      return s;
    } finally {
      this.#busy = false;
    }
  }

  stop() { clearInterval(this.#timer); }
}
