// A mesh call: one PeerLink per remote peer of the room, over one SignalingClient.
// The newcomer (who receives room_peers) offers to everyone there; peers already in the room answer.
// After a signaling reconnect the client joins again and rebuilds every link.
import { Emitter } from './emitter.js';
import { SignalingClient } from './signaling.js';
import { PeerLink } from './peer.js';
import { StatsSampler } from './stats.js';
import { sha256Hex } from './datalink.js';

const ICE_SERVERS_WAIT_MS = 2000; // the server sends ice_servers right after room_peers; older servers never do

/** The signaling URL of the page's own server: ws(s)://host/ws. */
export function defaultSignalingUrl(loc = window.location) {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export function randomPeerId() {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 12);
}

/**
 * Events:
 * `signaling` {state: "connecting"|"connected"|"reconnecting", retryInMs?},
 * `joined` {peerId, peers}, `peer_joined` {peerId}, `peer_left` {peerId}, `peer_name` {peerId, name},
 * `remote_stream` {peerId, stream}, `peer_state` {peerId, connectionState, iceConnectionState},
 * `peer_media` {peerId, audio, video} (the peer's microphone and camera are on), `chat` {peerId, name, text, ts, self}, `file_progress`, `file_received`, `file_sent`, `file_failed`
 * (see DataLink, each with peerId), `stats` {peerId, ...summary}, `error` {code, message, fatal}.
 */
export class Room extends Emitter {
  #signaling; #media; #links = new Map(); #pending = new Map(); #names = new Map(); #samplers = new Map();
  #iceServers = null; #iceWaiters = []; #opts; #joinedOnce = false; #left = false;

  /**
   * @param {object} o
   * @param {string} o.roomId
   * @param {string} o.name display name sent to the other peers
   * @param {import('./media.js').LocalMedia} o.media
   * @param {string} [o.signalingUrl] default: ws(s)://<page host>/ws
   * @param {string} [o.peerId] default: random
   * @param {string} [o.token] access token for servers started with --token-secret
   * @param {RTCIceTransportPolicy} [o.iceTransportPolicy] "all" (default) or "relay"
   * @param {RTCIceServer[]} [o.iceServers] used instead of the server's ice_servers
   * @param {number} [o.statsIntervalMs] default 1000
   */
  constructor(o) {
    super();
    if (!o?.roomId) throw new Error('roomId is required');
    if (!o.media) throw new Error('media is required');
    this.#opts = { statsIntervalMs: 1000, iceTransportPolicy: 'all', ...o };
    this.peerId = o.peerId ?? randomPeerId();
    this.roomId = o.roomId;
    this.name = o.name || this.peerId;
    this.#media = o.media;
    if (o.iceServers) this.#iceServers = o.iceServers;
    this.#media.on('track_changed', ({ kind, track }) => {
      for (const link of this.#links.values()) link.replaceTrack(kind, track).catch(() => {});
    });
    const announce = () => { for (const link of this.#links.values()) link.data.sendMediaState(this.#mediaState()); };
    this.#media.on('mute', announce);
    this.#media.on('screen_share', announce);
    window.addEventListener('online', this.#onNetworkChange);
    navigator.connection?.addEventListener?.('change', this.#onNetworkChange);
  }

  /** Remote peers: id -> {name, stream, connectionState, stats}. */
  get peers() {
    const out = new Map();
    for (const [id, link] of this.#links) {
      out.set(id, { name: this.#names.get(id) ?? id, stream: link.remoteStream, connectionState: link.connectionState,
        stats: this.#samplers.get(id)?.latest ?? null });
    }
    return out;
  }

  /** The PeerLink of one peer (for advanced use and tests). */
  link(peerId) { return this.#links.get(peerId) ?? null; }

  join() {
    this.#left = false;
    const sig = new SignalingClient(this.#opts.signalingUrl ?? defaultSignalingUrl());
    this.#signaling = sig;
    sig.on('connected', () => this.emit('signaling', { state: 'connected' }));
    sig.on('disconnected', ({ willRetryInMs }) => {
      this.emit('signaling', { state: 'reconnecting', retryInMs: willRetryInMs });
    });
    sig.on('joined', ({ peers }) => this.#onJoined(peers));
    sig.on('peer_joined', ({ peerId }) => this.#onPeerJoined(peerId));
    sig.on('peer_left', ({ peerId }) => this.#removePeer(peerId));
    sig.on('signal', (m) => this.#onSignal(m));
    sig.on('ice_servers', ({ iceServers }) => this.#setIceServers(iceServers));
    sig.on('error', (e) => this.emit('error', e));
    this.emit('signaling', { state: 'connecting' });
    sig.join(this.roomId, this.peerId, this.#opts.token ?? null);
  }

  leave() {
    this.#left = true;
    window.removeEventListener('online', this.#onNetworkChange);
    navigator.connection?.removeEventListener?.('change', this.#onNetworkChange);
    this.#signaling?.close();
    for (const id of new Set([...this.#links.keys(), ...this.#pending.keys()])) this.#removePeer(id);
  }

  sendChat(text) {
    const t = String(text).trim();
    if (!t) return;
    for (const link of this.#links.values()) link.data.sendChat(t);
    this.emit('chat', { peerId: this.peerId, name: this.name, text: t, ts: Date.now(), self: true });
  }

  /** Sends a file to every peer; resolves with the SHA-256 when every peer has it queued. */
  async sendFile(file) {
    const sha256 = await sha256Hex(file);
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    await Promise.all([...this.#links.values()].map((l) => l.data.sendFile(file, { sha256, id })));
    return sha256;
  }

  /** Restarts ICE on every link (e.g. after a network change). */
  restartIce() { for (const link of this.#links.values()) link.restartIce(); }

  #onNetworkChange = () => this.restartIce();

  #onJoined(peers) {
    const rejoin = this.#joinedOnce;
    this.#joinedOnce = true;
    if (rejoin) {
      // The server saw us leave: everyone else dropped our links, so we rebuild all of ours.
      const known = new Set([...this.#links.keys(), ...this.#pending.keys()]);
      for (const id of known) if (peers.includes(id)) this.#dropLink(id); else this.#removePeer(id);
    }
    this.emit('joined', { peerId: this.peerId, peers, rejoined: rejoin });
    for (const id of peers) if (id !== this.peerId) this.#createLink(id, true);
  }

  #onPeerJoined(peerId) {
    if (peerId === this.peerId) return;
    if (this.#links.has(peerId)) this.#dropLink(peerId); // it reconnected: its old link is dead
    this.#createLink(peerId, false);
  }

  async #onSignal({ type, from, payload }) {
    let link = this.#links.get(from) ?? null;
    if (!link && this.#pending.has(from)) link = await this.#pending.get(from);
    else if (!link && type === 'offer') link = await this.#createLink(from, false);
    link?.handleSignal(type, payload); // an answer or candidate for no link is dropped
  }

  async #createLink(peerId, offerer) {
    if (this.#links.has(peerId)) return this.#links.get(peerId);
    if (this.#pending.has(peerId)) return this.#pending.get(peerId);
    // Reserve the id while we wait for ice_servers; signals that arrive meanwhile wait on this promise.
    const created = this.#whenIceServers().then((iceServers) => {
      if (this.#pending.get(peerId) !== created || this.#left) return null;
      this.#pending.delete(peerId);
      return this.#newLink(peerId, offerer, iceServers);
    });
    this.#pending.set(peerId, created);
    return created;
  }

  #newLink(peerId, offerer, iceServers) {
    const link = new PeerLink({
      peerId, selfId: this.peerId, offerer, name: this.name,
      rtcConfig: { iceServers, iceTransportPolicy: this.#opts.iceTransportPolicy },
      signaling: this.#signaling, localStream: this.#media.stream, outgoing: (k) => this.#media.outgoing(k),
    });
    this.#links.set(peerId, link);
    const isCurrent = () => this.#links.get(peerId) === link;
    link.on('track', ({ stream }) => { if (isCurrent()) this.emit('remote_stream', { peerId, stream }); });
    link.on('state', (s) => { if (isCurrent()) this.emit('peer_state', s); });
    link.on('open', () => link.data.sendMediaState(this.#mediaState()));
    link.on('hello', ({ name }) => { this.#names.set(peerId, name); this.emit('peer_name', { peerId, name }); });
    link.on('media_state', ({ audio, video }) => this.emit('peer_media', { peerId, audio, video }));
    link.on('chat', ({ text, ts }) => this.emit('chat', { peerId, name: this.#names.get(peerId) ?? peerId, text, ts, self: false }));
    for (const t of ['file_progress', 'file_received', 'file_sent', 'file_failed']) link.on(t, (e) => this.emit(t, e));
    const sampler = new StatsSampler(link.pc, this.#opts.statsIntervalMs);
    sampler.on('stats', (s) => this.emit('stats', { peerId, ...s }));
    this.#samplers.get(peerId)?.stop();
    this.#samplers.set(peerId, sampler);
    this.emit('peer_joined', { peerId });
    return link;
  }

  #dropLink(peerId) {
    this.#pending.delete(peerId);
    const link = this.#links.get(peerId);
    this.#links.delete(peerId);
    this.#samplers.get(peerId)?.stop();
    this.#samplers.delete(peerId);
    link?.close();
  }

  #removePeer(peerId) {
    if (!this.#links.has(peerId) && !this.#pending.has(peerId)) return;
    this.#dropLink(peerId);
    this.#names.delete(peerId);
    this.emit('peer_left', { peerId });
  }

  #mediaState() {
    const m = this.#media;
    return { audio: m.micEnabled && !!m.outgoing('audio'), video: !!m.outgoing('video') };
  }

  #setIceServers(list) {
    if (this.#opts.iceServers) return; // the caller's choice wins
    this.#iceServers = Array.isArray(list) ? list : [];
    for (const w of this.#iceWaiters.splice(0)) w(this.#iceServers);
  }

  #whenIceServers() {
    if (this.#iceServers) return Promise.resolve(this.#iceServers);
    return new Promise((resolve) => {
      this.#iceWaiters.push(resolve);
      setTimeout(() => {
        const i = this.#iceWaiters.indexOf(resolve);
        if (i >= 0) { this.#iceWaiters.splice(i, 1); resolve(this.#iceServers ?? []); }
      }, ICE_SERVERS_WAIT_MS);
    });
  }
}
