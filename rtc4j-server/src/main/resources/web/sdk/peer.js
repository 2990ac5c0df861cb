// One RTCPeerConnection to one remote peer, negotiated with the "perfect negotiation" pattern
// (W3C webrtc-pc §10.7 example): the polite peer rolls back its own offer on glare, the impolite one
// ignores the colliding offer. Trickle ICE (RFC 8838) through the signaling channel; ICE restart
// (RFC 8445 §9) when the connection fails or stays disconnected.
import { Emitter } from './emitter.js';
import { DataLink } from './datalink.js';

const DISCONNECTED_RESTART_MS = 4000;

/**
 * Events: `track` {stream, track}, `state` {connectionState, iceConnectionState},
 * `ice_restarted`, plus everything the DataLink emits (`hello`, `chat`, `file_*`), re-emitted here.
 */
export class PeerLink extends Emitter {
  #signaling; #polite; #makingOffer = false; #ignoreOffer = false; #settingAnswer = false;
  #restartTimer = null; #queue = Promise.resolve(); #closed = false; #localStream; #outgoing;
  #adopted = new WeakSet();
  #mayOffer;
  /** The remote stream: one per link, holding the remote audio and video tracks. */
  remoteStream = new MediaStream();

  /**
   * @param {object} o
   * @param {string} o.peerId the remote peer
   * @param {string} o.selfId our id; the peer with the smaller id is the polite one
   * @param {RTCConfiguration} o.rtcConfig
   * @param {{signal: Function}} o.signaling
   * @param {MediaStream} o.localStream the stream the remote side sees our tracks in (msid)
   * @param {(kind: string) => MediaStreamTrack|null} o.outgoing the track we send now for a kind
   * @param {boolean} o.offerer true for the newcomer: it creates the transceivers and the first offer
   */
  constructor({ peerId, selfId, rtcConfig, signaling, localStream, outgoing, offerer, name }) {
    super();
    this.peerId = peerId;
    this.remoteName = null;
    this.#signaling = signaling;
    this.#polite = selfId < peerId;
    this.#localStream = localStream;
    this.#outgoing = outgoing;
    this.pc = new RTCPeerConnection(rtcConfig);
    // A negotiated channel (RFC 8832 not needed): both sides create id 0, no DCEP race.
    const channel = this.pc.createDataChannel('rtc4j', { negotiated: true, id: 0, ordered: true });
    this.data = new DataLink(channel, name);
    this.data.on('*', ({ type, detail }) => this.emit(type, { ...detail, peerId }));

    this.pc.onicecandidate = ({ candidate }) => {
      // RFC 8838 §4: trickle each candidate; a null candidate marks the end of gathering.
      if (candidate) this.#signaling.signal('ice_candidate', peerId, candidate.toJSON());
    };
    this.pc.ontrack = ({ track }) => {
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      track.onunmute = () => this.emit('track', { stream: this.remoteStream, track });
      this.emit('track', { stream: this.remoteStream, track });
    };
    // The answerer's own data channel would make it offer too; it waits for the offerer's first offer,
    // which already carries the data channel and both media sections (no glare at call set-up).
    this.#mayOffer = offerer;
    this.pc.onnegotiationneeded = () => { if (this.#mayOffer) this.#enqueue(() => this.#offer()); };
    this.pc.onconnectionstatechange = () => this.#onStateChange();
    this.pc.oniceconnectionstatechange = () => this.#onStateChange();

    if (offerer) {
      for (const kind of ['audio', 'video']) {
        const t = this.pc.addTransceiver(outgoing(kind) ?? kind, { direction: 'sendrecv', streams: [localStream] });
        this.#adopted.add(t);
      }
    }
  }

  get polite() { return this.#polite; }
  get connectionState() { return this.pc.connectionState; }

  /** Handles one offer/answer/ice_candidate from this peer; calls are serialized per link. */
  handleSignal(type, payload) {
    return this.#enqueue(() => this.#handle(type, payload));
  }

  /** Replaces the outgoing track of one kind (camera, screen, or null for none) without renegotiation. */
  async replaceTrack(kind, track) {
    for (const t of this.pc.getTransceivers()) {
      if (t.receiver.track?.kind === kind && !t.stopped) await t.sender.replaceTrack(track);
    }
  }

  /** The sender of `kind`, for tests and stats. */
  sender(kind) {
    return this.pc.getTransceivers().find((t) => t.receiver.track?.kind === kind)?.sender ?? null;
  }

  restartIce() {
    if (this.#closed) return;
    this.pc.restartIce(); // fires negotiationneeded with an ICE-restart offer
    this.emit('ice_restarted', { peerId: this.peerId });
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    this.data.close();
    this.pc.close();
    this.emit('state', { peerId: this.peerId, connectionState: 'closed', iceConnectionState: 'closed' });
  }

  #enqueue(fn) {
    const run = this.#queue.then(() => (this.#closed ? undefined : fn()));
    this.#queue = run.catch((err) => console.warn(`rtc4j: peer ${this.peerId}:`, err));
    return this.#queue;
  }

  async #offer() {
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#signaling.signal('offer', this.peerId, this.pc.localDescription.toJSON());
    } finally {
      this.#makingOffer = false;
    }
  }

  async #handle(type, payload) {
    if (type === 'ice_candidate') {
      try {
        await this.pc.addIceCandidate(payload ?? null);
      } catch (err) {
        if (!this.#ignoreOffer) throw err; // candidates of an ignored offer are expected to fail
      }
      return;
    }
    const description = { type, sdp: payload?.sdp ?? payload };
    if (typeof description.sdp !== 'string') return; // malformed: dropped
    const readyForOffer = !this.#makingOffer && (this.pc.signalingState === 'stable' || this.#settingAnswer);
    const collision = type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && collision;
    if (this.#ignoreOffer) return;
    this.#settingAnswer = type === 'answer';
    await this.pc.setRemoteDescription(description); // rolls back our own offer when polite
    this.#settingAnswer = false;
    if (type === 'offer') {
      this.#adoptTransceivers();
      await this.pc.setLocalDescription();
      this.#signaling.signal('answer', this.peerId, this.pc.localDescription.toJSON());
      this.#mayOffer = true;
    }
  }

  /** Answerer side: send our tracks on the transceivers the offer created (no extra m-lines). */
  #adoptTransceivers() {
    for (const t of this.pc.getTransceivers()) {
      const kind = t.receiver.track?.kind;
      if (!kind || t.stopped || this.#adopted.has(t)) continue;
      this.#adopted.add(t);
      if (t.direction === 'recvonly' || t.direction === 'inactive') t.direction = 'sendrecv';
      t.sender.setStreams?.(this.#localStream);
      const track = this.#outgoing(kind);
      if (track) t.sender.replaceTrack(track);
    }
  }

  #onStateChange() {
    const { connectionState, iceConnectionState } = this.pc;
    this.emit('state', { peerId: this.peerId, connectionState, iceConnectionState });
    clearTimeout(this.#restartTimer);
    if (iceConnectionState === 'failed') {
      this.restartIce();
    } else if (iceConnectionState === 'disconnected') {
      this.#restartTimer = setTimeout(() => {
        if (this.pc.iceConnectionState === 'disconnected') this.restartIce();
      }, DISCONNECTED_RESTART_MS);
    }
  }
}
