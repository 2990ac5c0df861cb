/**
 * rtc4j's RTCPeerConnection for data channels.
 *
 * <p>The API mirrors the W3C one: {@link io.rtc4j.peer.RtcPeerConnection} (offer/answer, trickle ICE, state
 * events, getStats), {@link io.rtc4j.peer.RtcDataChannel}, {@link io.rtc4j.peer.RtcConfiguration} with
 * {@link io.rtc4j.peer.RtcIceServer}s. Inside, one sans-IO engine per connection ({@code PeerCore}: JSEP
 * signaling, DTLS, SCTP and DCEP) is fed by a thin driver: the ICE agent's UDP driver
 * ({@code io.rtc4j.ice.net.IceUdpDriver}, which demultiplexes per RFC 7983) and one thread per connection
 * that also runs the application's handlers. {@link io.rtc4j.peer.example.DataChannelExample} is a complete
 * program.
 */
package io.rtc4j.peer;
