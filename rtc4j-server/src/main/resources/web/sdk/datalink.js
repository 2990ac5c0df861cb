// The data channel of one peer link: a hello with the display name, chat, and file transfer.
// Wire format (SDK-private): text frames are JSON {t:"hello"|"chat"|"media"|"file_start"|"file_end"|"file_abort"},
// binary frames are chunks of the file announced by the last file_start. Sends are serialized, so
// chunks of two files never interleave; chat may interleave with chunks.
import { Emitter } from './emitter.js';

export const CHUNK_BYTES = 16 * 1024;          // safe for every browser's SCTP max-message-size (RFC 8841)
const HIGH_WATER_BYTES = 1024 * 1024;          // stop queueing above this much unsent data
const LOW_WATER_BYTES = 256 * 1024;            // resume when bufferedamountlow fires
const PROGRESS_EVERY_BYTES = 256 * 1024;
const MAX_TEXT_BYTES = 64 * 1024;

/** Hex SHA-256 of a Blob or ArrayBuffer (WebCrypto). */
export async function sha256Hex(data) {
  const buf = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest('SHA-256', buf);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Events: `open`, `close`, `hello` {name}, `chat` {text, ts}, `media_state` {audio, video},
 * `file_progress` {id, direction:"in"|"out", name, bytes, size},
 * `file_received` {id, name, size, mime, blob, sha256, verified}, `file_sent` {id, name, size},
 * `file_failed` {id, name, direction, reason}.
 */
export class DataLink extends Emitter {
  #channel; #name; #sendQueue = Promise.resolve(); #incoming = null; #counter = 0;

  constructor(channel, name) {
    super();
    this.#channel = channel;
    this.#name = name;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.onopen = () => {
      this.#sendJson({ t: 'hello', name: this.#name });
      this.emit('open', {});
    };
    channel.onclose = () => {
      if (this.#incoming) this.#failIncoming('channel closed');
      this.emit('close', {});
    };
    channel.onmessage = ({ data }) => this.#onMessage(data);
  }

  get open() { return this.#channel.readyState === 'open'; }

  /** Tells the peer whether our microphone and camera are on (so it can show an avatar, a muted icon). */
  sendMediaState({ audio, video }) {
    return this.#sendJson({ t: 'media', audio: !!audio, video: !!video });
  }

  sendChat(text) {
    return this.#sendJson({ t: 'chat', text: String(text), ts: Date.now() });
  }

  /**
   * Sends a File or Blob in chunks, with backpressure; resolves when all bytes are queued in SCTP.
   * @param {Blob} file
   * @param {{sha256?: string, id?: string}} [opts] the digest, if the caller already has it
   */
  sendFile(file, opts = {}) {
    const id = opts.id ?? `${Date.now().toString(36)}-${++this.#counter}`;
    const name = file.name ?? 'file';
    const job = async () => {
      await this.#whenOpen();
      const sha256 = opts.sha256 ?? await sha256Hex(file);
      this.#sendJson({ t: 'file_start', id, name, size: file.size, mime: file.type || 'application/octet-stream' });
      let sent = 0, lastReport = 0;
      try {
        while (sent < file.size) {
          if (this.#channel.bufferedAmount > HIGH_WATER_BYTES) await this.#drained();
          const chunk = await file.slice(sent, sent + CHUNK_BYTES).arrayBuffer();
          this.#channel.send(chunk);
          sent += chunk.byteLength;
          if (sent - lastReport >= PROGRESS_EVERY_BYTES || sent === file.size) {
            lastReport = sent;
            this.emit('file_progress', { id, direction: 'out', name, bytes: sent, size: file.size });
          }
        }
        this.#sendJson({ t: 'file_end', id, sha256 });
        this.emit('file_sent', { id, name, size: file.size });
      } catch (err) {
        this.emit('file_failed', { id, name, direction: 'out', reason: String(err?.message ?? err) });
        try { this.#sendJson({ t: 'file_abort', id }); } catch { /* channel gone */ }
        throw err;
      }
    };
    const run = this.#sendQueue.then(job);
    this.#sendQueue = run.catch(() => {});
    return run.then(() => id);
  }

  close() {
    try { this.#channel.close(); } catch { /* already closed */ }
  }

  #sendJson(obj) {
    if (!this.open) return false;
    this.#channel.send(JSON.stringify(obj));
    return true;
  }

  #whenOpen() {
    if (this.open) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onOpen = () => { cleanup(); resolve(); };
      const onClose = () => { cleanup(); reject(new Error('data channel closed')); };
      const cleanup = () => {
        this.#channel.removeEventListener('open', onOpen);
        this.#channel.removeEventListener('close', onClose);
      };
      this.#channel.addEventListener('open', onOpen);
      this.#channel.addEventListener('close', onClose);
    });
  }

  #drained() {
    return new Promise((resolve, reject) => {
      const onLow = () => { cleanup(); resolve(); };
      const onClose = () => { cleanup(); reject(new Error('data channel closed')); };
      const cleanup = () => {
        this.#channel.removeEventListener('bufferedamountlow', onLow);
        this.#channel.removeEventListener('close', onClose);
      };
      this.#channel.addEventListener('bufferedamountlow', onLow);
      this.#channel.addEventListener('close', onClose);
    });
  }

  #onMessage(data) {
    if (typeof data !== 'string') { this.#onChunk(data); return; }
    if (data.length > MAX_TEXT_BYTES) return; // oversized control frame: dropped
    let m;
    try { m = JSON.parse(data); } catch { return; } // malformed: dropped
    switch (m?.t) {
      case 'hello':
        if (typeof m.name === 'string') this.emit('hello', { name: m.name.slice(0, 64) });
        break;
      case 'media':
        this.emit('media_state', { audio: m.audio !== false, video: m.video !== false });
        break;
      case 'chat':
        if (typeof m.text === 'string') this.emit('chat', { text: m.text.slice(0, 10_000), ts: Number(m.ts) || Date.now() });
        break;
      case 'file_start':
        if (this.#incoming) this.#failIncoming('superseded');
        if (typeof m.id !== 'string' || !Number.isSafeInteger(m.size) || m.size < 0) return;
        this.#incoming = { id: m.id, name: String(m.name ?? 'file').slice(0, 255), size: m.size,
          mime: String(m.mime ?? 'application/octet-stream'), chunks: [], bytes: 0, lastReport: 0 };
        break;
      case 'file_end':
        if (this.#incoming?.id === m.id) this.#finishIncoming(String(m.sha256 ?? ''));
        break;
      case 'file_abort':
        if (this.#incoming?.id === m.id) this.#failIncoming('aborted by sender');
        break;
      default:
        break;
    }
  }

  #onChunk(buf) {
    const f = this.#incoming;
    if (!f) return; // a chunk without a file: dropped
    if (f.bytes + buf.byteLength > f.size) { this.#failIncoming('more bytes than announced'); return; }
    f.chunks.push(buf);
    f.bytes += buf.byteLength;
    if (f.bytes - f.lastReport >= PROGRESS_EVERY_BYTES || f.bytes === f.size) {
      f.lastReport = f.bytes;
      this.emit('file_progress', { id: f.id, direction: 'in', name: f.name, bytes: f.bytes, size: f.size });
    }
  }

  async #finishIncoming(expected) {
    const f = this.#incoming;
    this.#incoming = null;
    if (f.bytes !== f.size) {
      this.emit('file_failed', { id: f.id, name: f.name, direction: 'in', reason: `got ${f.bytes} of ${f.size} bytes` });
      return;
    }
    const blob = new Blob(f.chunks, { type: f.mime });
    const sha256 = await sha256Hex(blob);
    this.emit('file_received', { id: f.id, name: f.name, size: f.size, mime: f.mime, blob, sha256,
      verified: sha256 === expected.toLowerCase() });
  }

  #failIncoming(reason) {
    const f = this.#incoming;
    this.#incoming = null;
    this.emit('file_failed', { id: f.id, name: f.name, direction: 'in', reason });
  }
}
