// The rtc4j web app: join form, video grid, controls, chat, files, recordings and live stats.
// Everything real-time goes through the SDK in /sdk/; this file only builds the page around it.
import { DEFAULT_CONSTRAINTS, LocalMedia, Room, StreamRecorder } from './sdk/index.js';
import { LiveChart, formatBitrate, formatBytes } from './chart.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const el = (tag, props = {}, ...children) => {
  const n = Object.assign(document.createElement(tag), props);
  for (const c of children) if (c != null) n.append(c);
  return n;
};

const ERROR_TEXT = {
  camera_denied: 'Camera or microphone access was denied. You can still join and chat; allow access in the site settings and reload to be seen and heard.',
  no_device: 'No camera or microphone was found. You can still join, watch and chat.',
  device_busy: 'The camera or microphone is in use by another application.',
  room_full: 'This room is full. Try another room name.',
  server_unreachable: 'The rtc4j server cannot be reached. Retrying…',
  replaced: 'You joined this room from another tab or window, so this one left.',
  peer_id_taken: 'Someone with the same id is already in this room.',
  screen_share_denied: 'Screen sharing was cancelled.',
  screen_share_failed: 'Screen sharing is not available in this browser.',
  token_required: 'This server requires an access token: open the link you were given (it carries ?token=…).',
  token_invalid: 'Your access token is not valid for this server.',
  token_expired: 'Your access token has expired. Ask for a new link.',
  token_not_yet_valid: 'Your access token is not valid yet.',
  token_wrong_room: 'Your access token is for another room.',
  token_wrong_peer: 'Your access token is for another participant.',
};

/** ?res=320x180 asks the camera for a smaller picture (cheaper calls, used by the end-to-end tests). */
function constraints() {
  const m = /^(\d{2,4})x(\d{2,4})$/.exec(params.get('res') ?? '');
  if (!m) return DEFAULT_CONSTRAINTS;
  return { ...DEFAULT_CONSTRAINTS, video: { width: { ideal: +m[1] }, height: { ideal: +m[2] }, frameRate: { ideal: 15 } } };
}

/** State the end-to-end tests read; nothing here is needed by the page itself. */
const app = { room: null, media: new LocalMedia(constraints()), recordings: [], recordingChunks: 0, received: [], mediaError: null };
window.rtc4jApp = app;

function toast(text, kind = 'info', ms = 6000) {
  const t = el('div', { className: `toast ${kind}`, textContent: text });
  $('toasts').append(t);
  setTimeout(() => t.remove(), ms);
}

function showError(code, message) {
  toast(ERROR_TEXT[code] ?? `${code}${message ? `: ${message}` : ''}`, 'error', 9000);
}

// ---- join form --------------------------------------------------------------------------------

$('room-input').value = params.get('room') ?? '';
$('name-input').value = params.get('name') ?? localStorage.getItem('rtc4j.name') ?? '';
const mediaReady = app.media.start().then((code) => {
  app.mediaError = code;
  // A video element on a stream without tracks would hold the page's load event forever.
  if (app.media.stream.getVideoTracks().length > 0) $('preview').srcObject = app.media.stream;
  if (code) {
    $('preview-hint').textContent = 'No camera';
    const e = $('join-error');
    e.textContent = ERROR_TEXT[code] ?? code;
    e.hidden = false;
  }
});

$('join-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('join-button').disabled = true;
  await mediaReady;
  join($('room-input').value.trim(), $('name-input').value.trim());
});

if (params.get('autojoin') === '1' && $('room-input').value && $('name-input').value) $('join-form').requestSubmit();

// ---- the call ---------------------------------------------------------------------------------

const tiles = new Map();       // peerId (or "self") -> tile parts
const statCards = new Map();   // peerId -> {card, chart, fields}

function join(roomId, name) {
  localStorage.setItem('rtc4j.name', name);
  const policy = params.get('policy') === 'relay' || params.get('relay') === '1' ? 'relay' : 'all';
  const room = new Room({ roomId, name, media: app.media, iceTransportPolicy: policy,
    peerId: params.get('peer') ?? undefined, token: params.get('token') ?? undefined });
  app.room = room;
  const keep = new URLSearchParams({ room: roomId });
  for (const k of ['policy', 'res', 'token']) if (params.get(k)) keep.set(k, params.get(k));
  history.replaceState(null, '', `?${keep}`);

  $('join-view').hidden = true;
  $('call-view').hidden = false;
  $('room-info').hidden = false;
  $('room-name').textContent = roomId;
  document.title = `${roomId} · rtc4j`;

  addTile('self', `${name} (you)`, app.media.stream, true);
  updateCount();

  room.on('signaling', ({ state }) => setSignalingState(state));
  room.on('peer_joined', ({ peerId }) => { addTile(peerId, peerId, null, false); updateCount(); });
  room.on('peer_name', ({ peerId, name: n }) => {
    setTileName(peerId, n);
    systemMessage(`${n} joined`);
    statCards.get(peerId)?.title.replaceChildren(n);
  });
  room.on('peer_left', ({ peerId }) => {
    const n = tiles.get(peerId)?.name.textContent;
    removeTile(peerId);
    statCards.get(peerId)?.card.remove();
    statCards.delete(peerId);
    updateCount();
    if (n) systemMessage(`${n} left`);
  });
  room.on('remote_stream', ({ peerId, stream }) => {
    const t = tiles.get(peerId) ?? addTile(peerId, peerId, null, false);
    if (t.video.srcObject !== stream) t.video.srcObject = stream;
    t.avatar.hidden = t.tile.dataset.video !== 'off' && stream.getVideoTracks().length > 0;
  });
  room.on('peer_state', ({ peerId, connectionState }) => setTileState(peerId, connectionState));
  room.on('peer_media', ({ peerId, audio, video }) => setTileMedia(peerId, audio, video));
  room.on('chat', (m) => chatMessage(m));
  room.on('file_progress', (e) => transferRow(e).update(e.bytes, e.size));
  room.on('file_received', (e) => {
    app.received.push({ peerId: e.peerId, name: e.name, size: e.size, sha256: e.sha256, verified: e.verified, blob: e.blob });
    transferRow({ ...e, direction: 'in' }).received(e);
  });
  room.on('file_failed', (e) => transferRow(e).failed(e.reason));
  room.on('stats', (s) => updateStats(s));
  room.on('error', ({ code, message, fatal }) => {
    showError(code, message);
    if (fatal) setSignalingState('failed');
  });
  app.media.on('error', ({ code, message }) => showError(code, message));
  app.media.on('screen_share', ({ active }) => {
    $('screen-button').setAttribute('aria-pressed', String(active));
    tiles.get('self')?.tile.classList.toggle('screen', active);
  });
  room.join();
}

function setSignalingState(state) {
  const labels = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…', failed: 'Disconnected' };
  $('signaling-state').dataset.state = state;
  $('signaling-state').querySelector('.label').textContent = labels[state] ?? state;
}

function updateCount() {
  const n = tiles.size;
  $('participant-count').textContent = `${n} participant${n === 1 ? '' : 's'}`;
  $('grid').dataset.count = String(n);
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('') || '?';
}

function addTile(peerId, name, stream, self) {
  if (tiles.has(peerId)) return tiles.get(peerId);
  const video = el('video', { autoplay: true, playsInline: true, muted: self });
  if (stream) video.srcObject = stream;
  const avatar = el('div', { className: 'avatar', textContent: initials(name) });
  avatar.hidden = !!stream && stream.getVideoTracks().length > 0;
  const nameEl = el('span', { className: 'name', textContent: name });
  const micOff = el('span', { className: 'mic-off', title: 'Microphone off' });
  micOff.hidden = true;
  const recButton = el('button', { type: 'button', textContent: '● Rec', title: 'Record this video' });
  recButton.setAttribute('aria-pressed', 'false');
  const tile = el('div', { className: `tile${self ? ' self' : ''}` }, video, avatar,
    el('div', { className: 'label' }, el('span', { className: 'state-dot' }), nameEl, micOff),
    el('div', { className: 'tile-actions' }, recButton));
  tile.dataset.peerId = peerId;
  tile.dataset.state = self ? 'connected' : 'new';
  const parts = { tile, video, name: nameEl, avatar, recButton, micOff };
  recButton.addEventListener('click', () => toggleRecording(video.srcObject, recButton, nameEl.textContent));
  tiles.set(peerId, parts);
  $('grid').append(tile);
  return parts;
}

function setTileName(peerId, name) {
  const t = tiles.get(peerId);
  if (!t) return;
  t.name.textContent = name;
  t.avatar.textContent = initials(name);
}

/** What the peer says about its own devices: an avatar instead of a frozen picture, a muted-mic mark. */
function setTileMedia(peerId, audio, video) {
  const t = tiles.get(peerId);
  if (!t) return;
  t.avatar.hidden = video;
  t.micOff.hidden = audio;
  t.tile.dataset.video = video ? 'on' : 'off';
  t.tile.dataset.audio = audio ? 'on' : 'off';
}

function setTileState(peerId, state) {
  const t = tiles.get(peerId);
  if (t) t.tile.dataset.state = state;
}

function removeTile(peerId) {
  const t = tiles.get(peerId);
  if (!t) return;
  t.video.srcObject = null;
  t.tile.remove();
  tiles.delete(peerId);
}

// ---- controls ---------------------------------------------------------------------------------

$('mic-button').addEventListener('click', () => {
  const on = !app.media.micEnabled;
  app.media.setMicEnabled(on);
  $('mic-button').setAttribute('aria-pressed', String(on));
  $('mic-button').querySelector('.txt').textContent = on ? 'Mute' : 'Unmute';
  const t = tiles.get('self');
  if (t) t.micOff.hidden = on;
});

$('camera-button').addEventListener('click', async () => {
  const on = !app.media.cameraEnabled;
  await app.media.setCameraEnabled(on);
  $('camera-button').setAttribute('aria-pressed', String(on));
  const t = tiles.get('self');
  if (t) t.avatar.hidden = on;
});

$('screen-button').addEventListener('click', () => {
  if (app.media.sharingScreen) app.media.stopScreenShare(); else app.media.startScreenShare();
});

$('record-button').addEventListener('click', () => toggleRecording(app.media.stream, $('record-button'), 'me'));

$('leave-button').addEventListener('click', () => {
  app.room?.leave();
  app.media.stop();
  location.href = `${location.pathname}?${new URLSearchParams({ room: app.room?.roomId ?? '' })}`;
});

const activeRecorders = new Map(); // button -> StreamRecorder

async function toggleRecording(stream, button, who) {
  const running = activeRecorders.get(button);
  if (running) {
    activeRecorders.delete(button);
    button.setAttribute('aria-pressed', 'false');
    await running.stop();
    return;
  }
  if (!stream || stream.getTracks().length === 0) { toast('There is nothing to record yet.', 'warn'); return; }
  const rec = new StreamRecorder(stream, { timesliceMs: 1000 });
  rec.on('chunk', () => { app.recordingChunks++; });
  rec.on('stopped', ({ blob, url, filename }) => {
    app.recordings.push(blob);
    $('recordings-title').hidden = false;
    const a = el('a', { href: url, download: filename, textContent: `Download ${filename}` });
    $('recordings').append(el('li', { className: 'transfer done' },
      el('div', { className: 'row' }, el('span', { className: 'fname', textContent: `Recording of ${who}` }),
        el('span', { className: 'muted', textContent: formatBytes(blob.size) })), a));
    toast(`Recording saved (${formatBytes(blob.size)}). Find it under Files.`);
  });
  rec.on('error', ({ message }) => toast(`Recording failed: ${message}`, 'error'));
  try {
    rec.start();
  } catch (err) {
    toast(`Recording is not available: ${err.message}`, 'error');
    return;
  }
  activeRecorders.set(button, rec);
  button.setAttribute('aria-pressed', 'true');
}

// ---- side panel: tabs, chat, files, stats -----------------------------------------------------

let unread = 0;
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    for (const t of document.querySelectorAll('.tab')) t.setAttribute('aria-selected', String(t === tab));
    for (const name of ['chat', 'files', 'stats']) $(`panel-${name}`).hidden = name !== tab.dataset.tab;
    if (tab.dataset.tab === 'chat') { unread = 0; $('chat-badge').hidden = true; }
  });
}

$('chat-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  app.room?.sendChat($('chat-input').value);
  $('chat-input').value = '';
});

function chatMessage({ name, text, ts, self }) {
  const time = new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const li = el('li', { className: `msg${self ? ' self' : ''}` },
    el('div', { className: 'who' }, el('span', { textContent: self ? 'You' : name }), el('span', { textContent: time })),
    el('div', { className: 'text', textContent: text }));
  $('messages').append(li);
  li.scrollIntoView({ block: 'end' });
  if ($('panel-chat').hidden && !self) { unread++; $('chat-badge').textContent = String(unread); $('chat-badge').hidden = false; }
}

function systemMessage(text) {
  $('messages').append(el('li', { className: 'msg system', textContent: text }));
}

$('file-input').addEventListener('change', () => {
  for (const f of $('file-input').files) sendFile(f);
  $('file-input').value = '';
});
const dz = $('dropzone');
dz.addEventListener('dragover', (e) => { e.preventDefault(); dz.classList.add('over'); });
dz.addEventListener('dragleave', () => dz.classList.remove('over'));
dz.addEventListener('drop', (e) => {
  e.preventDefault();
  dz.classList.remove('over');
  for (const f of e.dataTransfer.files) sendFile(f);
});

function sendFile(file) {
  if (!app.room || app.room.peers.size === 0) { toast('Nobody else is in the room yet.', 'warn'); return; }
  app.room.sendFile(file).catch((err) => toast(`Sending ${file.name} failed: ${err.message}`, 'error'));
}

const rows = new Map();
function transferRow({ id, peerId, direction, name, size }) {
  const key = `${id}|${peerId}|${direction}`;
  if (rows.has(key)) return rows.get(key);
  const who = tiles.get(peerId)?.name.textContent ?? peerId;
  const bar = el('progress', { max: size || 1, value: 0 });
  const status = el('span', { className: 'muted', textContent: '0%' });
  const li = el('li', { className: 'transfer' },
    el('div', { className: 'row' }, el('span', { className: 'fname', textContent: `${direction === 'in' ? '⬇' : '⬆'} ${name}` }), status),
    el('div', { className: 'row muted' }, el('span', { textContent: `${direction === 'in' ? 'from' : 'to'} ${who}` }),
      el('span', { textContent: formatBytes(size ?? 0) })), bar);
  $('transfers').prepend(li);
  const row = {
    update(bytes, total) { bar.max = total || 1; bar.value = bytes; status.textContent = `${Math.floor((100 * bytes) / (total || 1))}%`; },
    received(e) {
      li.classList.add(e.verified ? 'done' : 'failed');
      bar.value = bar.max;
      status.replaceChildren(el('span', { className: e.verified ? 'ok-text' : 'bad-text',
        textContent: e.verified ? 'SHA-256 verified' : 'SHA-256 mismatch' }));
      li.append(el('a', { href: URL.createObjectURL(e.blob), download: e.name, textContent: `Download ${e.name}` }));
      if (direction === 'in') toast(`${who} sent you ${e.name}`);
    },
    failed(reason) { li.classList.add('failed'); status.replaceChildren(el('span', { className: 'bad-text', textContent: `Failed: ${reason}` })); },
  };
  rows.set(key, row);
  return row;
}

function updateStats(s) {
  let c = statCards.get(s.peerId);
  if (!c) {
    const canvas = el('canvas');
    const title = el('span', { textContent: tiles.get(s.peerId)?.name.textContent ?? s.peerId });
    const pair = el('span', { className: 'pair' });
    const fields = {};
    const dl = el('dl');
    for (const [k, label] of [['in', 'In'], ['out', 'Out'], ['loss', 'Loss'], ['rtt', 'RTT'], ['jitter', 'Jitter'], ['fps', 'FPS']]) {
      fields[k] = el('dd', { textContent: '–' });
      dl.append(el('div', {}, el('dt', { textContent: label }), fields[k]));
    }
    const legend = el('div', { className: 'legend' },
      el('span', {}, el('i', { style: 'background:#4f7cff' }), 'in'), el('span', {}, el('i', { style: 'background:#2ecc71' }), 'out'));
    const card = el('div', { className: 'stat-card' }, el('h4', {}, title, pair), canvas, legend, dl);
    card.dataset.peerId = s.peerId;
    if (statCards.size === 0) $('stats-list').replaceChildren();
    $('stats-list').append(card);
    c = { card, chart: new LiveChart(canvas), fields, pair, title };
    statCards.set(s.peerId, c);
  }
  c.chart.push(s.bitrateIn, s.bitrateOut);
  c.pair.textContent = s.candidateType ?? '…';
  c.pair.dataset.type = s.candidateType ?? '';
  c.fields.in.textContent = formatBitrate(s.bitrateIn);
  c.fields.out.textContent = formatBitrate(s.bitrateOut);
  c.fields.loss.textContent = `${s.lossPercent.toFixed(1)}%`;
  c.fields.rtt.textContent = s.rttMs == null ? '–' : `${Math.round(s.rttMs)} ms`;
  c.fields.jitter.textContent = s.jitterMs == null ? '–' : `${s.jitterMs.toFixed(1)} ms`;
  c.fields.fps.textContent = s.fps == null ? '–' : String(Math.round(s.fps));
}
