// Local media: camera and microphone (getUserMedia), mute, camera on/off, device switching and screen
// share (getDisplayMedia). `stream` is one stable MediaStream holding what we send right now; every change
// is announced as `track_changed` so the peer links can replaceTrack without renegotiation.
import { Emitter } from './emitter.js';

export const DEFAULT_CONSTRAINTS = Object.freeze({
  audio: { echoCancellation: true, noiseSuppression: true },
  video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } },
});

/** Maps a getUserMedia/getDisplayMedia DOMException to a stable SDK error code. */
export function mediaErrorCode(err) {
  switch (err?.name) {
    case 'NotAllowedError': case 'SecurityError': return 'camera_denied';
    case 'NotFoundError': case 'OverconstrainedError': return 'no_device';
    case 'NotReadableError': case 'AbortError': return 'device_busy';
    default: return 'media_error';
  }
}

/**
 * Events: `track_changed` {kind, track|null}, `screen_share` {active}, `error` {code, message},
 * `mute` {kind, muted}.
 */
export class LocalMedia extends Emitter {
  #constraints; #camera = null; #mic = null; #screen = null; #cameraOn = true; #micOn = true;
  stream = new MediaStream();

  constructor(constraints = DEFAULT_CONSTRAINTS) {
    super();
    this.#constraints = constraints;
  }

  get micEnabled() { return this.#micOn; }
  get cameraEnabled() { return this.#cameraOn; }
  get sharingScreen() { return this.#screen !== null; }

  /** The track sent for `kind` right now (the screen while sharing), or null. */
  outgoing(kind) {
    if (kind === 'audio') return this.#mic;
    return this.#screen ?? this.#camera;
  }

  /**
   * Opens camera and microphone. On failure falls back to what is available (audio only, video only)
   * and reports the first error; resolves with the error code or null.
   */
  async start() {
    const attempts = [this.#constraints, { audio: this.#constraints.audio, video: false },
      { audio: false, video: this.#constraints.video }];
    let firstError = null;
    for (const c of attempts) {
      if (!c.audio && !c.video) continue;
      try {
        const s = await navigator.mediaDevices.getUserMedia(c);
        for (const t of s.getTracks()) this.#setTrack(t.kind, t);
        break;
      } catch (err) {
        firstError ??= err;
        if (mediaErrorCode(err) === 'camera_denied') break; // denied: asking again cannot help
      }
    }
    if (firstError) {
      const code = mediaErrorCode(firstError);
      this.emit('error', { code, message: firstError.message });
      return code;
    }
    return null;
  }

  setMicEnabled(on) {
    this.#micOn = on;
    if (this.#mic) this.#mic.enabled = on;
    this.emit('mute', { kind: 'audio', muted: !on });
  }

  /** Camera off stops the device (its light goes out); on opens it again. */
  async setCameraEnabled(on) {
    this.#cameraOn = on;
    if (!on) {
      this.#camera?.stop();
      this.#setTrack('video', null);
    } else if (!this.#camera) {
      await this.#openCamera(this.#constraints.video);
    }
    this.emit('mute', { kind: 'video', muted: !on });
  }

  async devices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    return { audio: all.filter((d) => d.kind === 'audioinput'), video: all.filter((d) => d.kind === 'videoinput') };
  }

  /** Switches the microphone or camera to another device, keeping mute state. */
  async switchDevice(kind, deviceId) {
    const base = kind === 'audio' ? this.#constraints.audio : this.#constraints.video;
    const c = { ...(typeof base === 'object' ? base : {}), deviceId: { exact: deviceId } };
    if (kind === 'video') {
      if (!this.#cameraOn) { this.#constraints = { ...this.#constraints, video: c }; return; }
      this.#camera?.stop();
      await this.#openCamera(c);
    } else {
      const s = await navigator.mediaDevices.getUserMedia({ audio: c });
      this.#mic?.stop();
      this.#setTrack('audio', s.getAudioTracks()[0]);
    }
  }

  /**
   * Shares the screen in place of the camera. `track` (optional) shares a given video track instead of
   * asking getDisplayMedia, e.g. a canvas.captureStream() track. Ending the track returns to the camera.
   */
  async startScreenShare(track) {
    if (!track) {
      try {
        const s = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
        track = s.getVideoTracks()[0];
      } catch (err) {
        const code = err?.name === 'NotAllowedError' ? 'screen_share_denied' : 'screen_share_failed';
        this.emit('error', { code, message: err.message });
        return false;
      }
    }
    this.#screen?.stop();
    this.#screen = track;
    track.addEventListener('ended', () => { if (this.#screen === track) this.stopScreenShare(); });
    this.#replaceVideoInStream(track);
    this.emit('track_changed', { kind: 'video', track });
    this.emit('screen_share', { active: true });
    return true;
  }

  stopScreenShare() {
    if (!this.#screen) return;
    this.#screen.stop();
    this.#screen = null;
    this.#replaceVideoInStream(this.#camera);
    this.emit('track_changed', { kind: 'video', track: this.#camera });
    this.emit('screen_share', { active: false });
  }

  stop() {
    for (const t of [this.#mic, this.#camera, this.#screen]) t?.stop();
    this.#mic = this.#camera = this.#screen = null;
    for (const t of this.stream.getTracks()) this.stream.removeTrack(t);
  }

  async #openCamera(videoConstraints) {
    try {
      const s = await navigator.mediaDevices.getUserMedia({ video: videoConstraints });
      this.#setTrack('video', s.getVideoTracks()[0]);
    } catch (err) {
      this.emit('error', { code: mediaErrorCode(err), message: err.message });
    }
  }

  #setTrack(kind, track) {
    if (kind === 'audio') {
      if (track) track.enabled = this.#micOn;
      this.#mic = track;
      this.#replaceInStream('audio', track);
    } else {
      this.#camera = track;
      if (this.#screen) return; // the screen stays on air; the camera comes back when sharing ends
      this.#replaceInStream('video', track);
    }
    this.emit('track_changed', { kind, track });
  }

  #replaceVideoInStream(track) { this.#replaceInStream('video', track); }

  #replaceInStream(kind, track) {
    for (const t of this.stream.getTracks()) if (t.kind === kind) this.stream.removeTrack(t);
    if (track) this.stream.addTrack(track);
  }
}
