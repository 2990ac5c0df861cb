// Test helper evaluated in a page: two RTCPeerConnections of the same page connected to each other,
// with a negotiated data channel (id 0) on each, exactly as the SDK's PeerLink sets it up.
window.localPair = async function localPair({ withVideo = false } = {}) {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => { if (e.candidate) b.addIceCandidate(e.candidate); };
  b.onicecandidate = (e) => { if (e.candidate) a.addIceCandidate(e.candidate); };
  const ca = a.createDataChannel('rtc4j', { negotiated: true, id: 0 });
  const cb = b.createDataChannel('rtc4j', { negotiated: true, id: 0 });
  if (withVideo) {
    const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 180 } });
    for (const t of s.getTracks()) a.addTrack(t, s);
  }
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  return { a, b, ca, cb };
};
