// rtc4j browser SDK: plain ES modules, no build step. Import from /sdk/index.js.
export { Emitter } from './emitter.js';
export { SignalingClient } from './signaling.js';
export { PeerLink } from './peer.js';
export { DataLink, sha256Hex, CHUNK_BYTES } from './datalink.js';
export { LocalMedia, DEFAULT_CONSTRAINTS, mediaErrorCode } from './media.js';
export { StreamRecorder } from './recorder.js';
export { StatsSampler, summarize } from './stats.js';
export { Room, defaultSignalingUrl, randomPeerId } from './room.js';
