// Records a MediaStream (local or remote) with MediaRecorder in 1 s chunks into a WebM Blob.
import { Emitter } from './emitter.js';

const MIME_CANDIDATES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'audio/webm'];

/** Events: `chunk` {size, totalBytes, chunks}, `stopped` {blob, url, filename}, `error` {message}. */
export class StreamRecorder extends Emitter {
  #recorder = null; #chunks = []; #bytes = 0; #stream; #timesliceMs;

  constructor(stream, { timesliceMs = 1000 } = {}) {
    super();
    this.#stream = stream;
    this.#timesliceMs = timesliceMs;
  }

  get recording() { return this.#recorder?.state === 'recording'; }
  get totalBytes() { return this.#bytes; }

  start() {
    if (this.recording) throw new Error('already recording');
    const mimeType = MIME_CANDIDATES.find((m) => MediaRecorder.isTypeSupported(m));
    this.#chunks = [];
    this.#bytes = 0;
    this.#recorder = new MediaRecorder(this.#stream, mimeType ? { mimeType } : undefined);
    this.#recorder.ondataavailable = ({ data }) => {
      if (!data || data.size === 0) return;
      this.#chunks.push(data);
      this.#bytes += data.size;
      this.emit('chunk', { size: data.size, totalBytes: this.#bytes, chunks: this.#chunks.length });
    };
    this.#recorder.onerror = (e) => this.emit('error', { message: String(e.error?.message ?? e) });
    this.#recorder.start(this.#timesliceMs);
  }

  /** Stops and resolves with the recording as a WebM Blob (its URL is in the `stopped` event). */
  stop() {
    const rec = this.#recorder;
    if (!rec || rec.state === 'inactive') return Promise.resolve(new Blob(this.#chunks, { type: 'video/webm' }));
    return new Promise((resolve) => {
      rec.addEventListener('stop', () => {
        const blob = new Blob(this.#chunks, { type: 'video/webm' });
        const filename = `rtc4j-${new Date().toISOString().replace(/[:.]/g, '-')}.webm`;
        this.emit('stopped', { blob, url: URL.createObjectURL(blob), filename });
        resolve(blob);
      }, { once: true });
      rec.stop();
    });
  }
}
