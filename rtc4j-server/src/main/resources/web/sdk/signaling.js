// Signaling over WebSocket with the base protocol of the rtc4j signaling server:
//   -> {type:"join", peer_id, room_id[, token]}
//   <- {type:"room_peers", peers:[...]}, {type:"peer_joined"|"peer_left", peer_id}
//   -> {type:"offer"|"answer"|"ice_candidate", target, offer|answer|candidate}
//   <- the same with `from` instead of `target`
// plus the extensions {type:"ice_servers"} and {type:"error", code, message}.
// Reconnects with exponential backoff (with jitter) and joins the same room again.
import { Emitter } from './emitter.js';

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;

/**
 * Events: `connected`, `joined` {peers}, `peer_joined` {peerId}, `peer_left` {peerId},
 * `signal` {type, from, payload}, `ice_servers` {iceServers}, `error` {code, message, fatal},
 * `disconnected` {willRetryInMs}, `message` (every parsed message).
 */
export class SignalingClient extends Emitter {
  #url; #ws = null; #room = null; #peerId = null; #token = null; #closed = false;
  #attempt = 0; #retryTimer = null; #everConnected = false;

  constructor(url) {
    super();
    this.#url = url;
  }

  get connected() { return this.#ws?.readyState === WebSocket.OPEN; }

  /**
   * Opens the socket (if needed) and joins; rejoins by itself after every reconnect.
   * `token` is an access token (HS256 JWT) for servers that require one.
   */
  join(roomId, peerId, token = null) {
    this.#room = roomId;
    this.#peerId = peerId;
    this.#token = token;
    this.#closed = false;
    if (this.connected) this.#sendJoin(); else if (!this.#ws) this.#open();
  }

  send(msg) {
    if (!this.connected) return false;
    this.#ws.send(JSON.stringify(msg));
    return true;
  }

  /** Sends offer/answer/ice_candidate to one peer. */
  signal(type, target, payload) {
    const key = type === 'ice_candidate' ? 'candidate' : type;
    return this.send({ type, target, [key]: payload });
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#ws?.close(1000, 'bye');
    this.#ws = null;
  }

  #open() {
    let ws;
    try { ws = new WebSocket(this.#url); } catch (err) {
      this.emit('error', { code: 'server_unreachable', message: String(err), fatal: false });
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      this.#attempt = 0;
      this.#everConnected = true;
      this.emit('connected', {});
      this.#sendJoin();
    };
    ws.onmessage = (ev) => this.#onMessage(ev.data);
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      if (this.#closed) return;
      if (!this.#everConnected && this.#attempt === 0) {
        this.emit('error', { code: 'server_unreachable', message: `cannot reach ${this.#url}`, fatal: false });
      }
      this.#scheduleRetry();
    };
  }

  #scheduleRetry() {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.#attempt++);
    const delay = Math.round(base / 2 + Math.random() * base / 2);
    this.emit('disconnected', { willRetryInMs: delay, attempt: this.#attempt });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => { if (!this.#closed) this.#open(); }, delay);
  }

  #sendJoin() {
    if (!this.#room) return;
    const msg = { type: 'join', peer_id: this.#peerId, room_id: this.#room };
    if (this.#token) msg.token = this.#token;
    this.send(msg);
  }

  #onMessage(data) {
    let msg;
    try { msg = JSON.parse(data); } catch { return; } // a malformed frame is dropped
    if (!msg || typeof msg.type !== 'string') return;
    this.emit('message', msg);
    switch (msg.type) {
      case 'room_peers':
        this.emit('joined', { peers: Array.isArray(msg.peers) ? msg.peers.map(String) : [] });
        break;
      case 'peer_joined':
        this.emit('peer_joined', { peerId: String(msg.peer_id) });
        break;
      case 'peer_left':
        this.emit('peer_left', { peerId: String(msg.peer_id) });
        break;
      case 'offer': case 'answer': case 'ice_candidate': {
        const key = msg.type === 'ice_candidate' ? 'candidate' : msg.type;
        if (msg.from != null) this.emit('signal', { type: msg.type, from: String(msg.from), payload: msg[key], session: msg.session });
        break;
      }
      case 'ice_servers':
        this.emit('ice_servers', { iceServers: msg.ice_servers ?? msg.iceServers ?? [] });
        break;
      case 'error':
        this.emit('error', { code: msg.code ?? 'error', message: msg.message ?? msg.reason ?? '', fatal: FATAL.has(msg.code) });
        if (FATAL.has(msg.code)) this.close();
        break;
      default:
        break;
    }
  }
}

/** Error codes after which retrying the same join cannot help. */
const FATAL = new Set(['room_full', 'replaced', 'peer_id_taken', 'token_required', 'token_invalid', 'token_expired',
  'token_not_yet_valid', 'token_wrong_room', 'token_wrong_peer']);
