// The anchor of bench/signaling.sh: a minimal, independent signaling relay with Node.js and the `ws` package,
// speaking the same base protocol as rtc4j-signaling (README "Signaling protocol"): join -> room_peers to the
// joiner and peer_joined to the room; offer/answer/ice_candidate with "target" -> the same message to the target
// without "target" and with "from"; peer_left on leave or disconnect. Bench-only: no tokens, limits or extensions
// beyond an error for bad input. Listens on the address and port given (loopback in the benchmark).
'use strict';
const { WebSocketServer } = require('ws');

const host = process.argv[2] || '127.0.0.1';
const port = Number(process.argv[3] || 28932);
const rooms = new Map(); // room id -> Map(peer id -> socket)
const RELAY = new Set(['offer', 'answer', 'ice_candidate']);
const PAYLOAD = { offer: 'offer', answer: 'answer', ice_candidate: 'candidate' };

function send(ws, obj) {
  ws.send(JSON.stringify(obj));
}

function error(ws, code, message, requestType) {
  send(ws, { type: 'error', code, message, request_type: requestType });
}

function leave(ws) {
  if (ws.room === undefined) return;
  const room = rooms.get(ws.room);
  room.delete(ws.peer);
  if (room.size === 0) {
    rooms.delete(ws.room);
  } else {
    const left = JSON.stringify({ type: 'peer_left', peer_id: ws.peer });
    for (const other of room.values()) other.send(left);
  }
  ws.room = undefined;
  ws.peer = undefined;
}

const wss = new WebSocketServer({ host, port, path: '/ws', maxPayload: 64 * 1024, perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    let msg;
    try {
      msg = JSON.parse(isBinary ? '' : data.toString('utf8'));
    } catch {
      return error(ws, 'bad_json', 'not valid JSON');
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.type !== 'string') {
      return error(ws, 'bad_json', 'a message is a JSON object with a string type');
    }
    if (msg.type === 'join') {
      if (ws.room !== undefined) return error(ws, 'already_joined', 'leave first', 'join');
      if (typeof msg.room_id !== 'string' || typeof msg.peer_id !== 'string') {
        return error(ws, 'invalid_field', 'room_id and peer_id must be strings', 'join');
      }
      let room = rooms.get(msg.room_id);
      if (room === undefined) rooms.set(msg.room_id, (room = new Map()));
      if (room.has(msg.peer_id)) return error(ws, 'peer_id_taken', 'peer id in use', 'join');
      send(ws, { type: 'room_peers', peers: [...room.keys()] });
      const joined = JSON.stringify({ type: 'peer_joined', peer_id: msg.peer_id });
      for (const other of room.values()) other.send(joined);
      room.set(msg.peer_id, ws);
      ws.room = msg.room_id;
      ws.peer = msg.peer_id;
    } else if (RELAY.has(msg.type)) {
      if (ws.room === undefined) return error(ws, 'not_joined', 'join a room first', msg.type);
      if (typeof msg.target !== 'string' || !(PAYLOAD[msg.type] in msg)) {
        return error(ws, 'invalid_field', 'target and ' + PAYLOAD[msg.type] + ' are required', msg.type);
      }
      const to = rooms.get(ws.room).get(msg.target);
      if (to === undefined || to === ws) return error(ws, 'unknown_target', 'no such peer in this room', msg.type);
      const { type, target, from, ...rest } = msg;
      send(to, { type, from: ws.peer, ...rest });
    } else if (msg.type === 'leave') {
      leave(ws);
    } else {
      error(ws, 'unknown_type', 'unknown type', msg.type);
    }
  });
  ws.on('close', () => leave(ws));
  ws.on('error', () => ws.terminate());
});
wss.on('listening', () => console.log(`node-relay: listening on ${host}:${port}`));
