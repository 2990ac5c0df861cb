/**
 * A deterministic virtual UDP network for sans-IO engines (ENGINEERING.md §1, §4): hosts, NAT boxes with RFC 4787
 * mapping and filtering behaviours, and seeded loss, delay, jitter, reordering, duplication and rate limits, all
 * on a {@link io.rtc4j.testkit.SimClock}. Nothing sleeps and nothing runs by itself: a test drives time to the
 * next packet event or engine deadline, and the same seed gives the same trace.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(42);
 * SimHost stun = net.internet().addHost("stun", "192.0.2.1");
 * SimNat nat = net.internet().addNat("nat", "203.0.113.1", SimNatConfig.symmetric());
 * nat.setLink(SimLinkConditions.builder().delay(Duration.ofMillis(20)).loss(0.01).build());
 * SimHost alice = nat.inside().addHost("alice", "10.0.0.2");
 * SimSocket socket = alice.bind(0);
 * socket.onReceive(d -> { engine.handleInput(d.at(), d); driver.drain(); });
 * net.addTimer(driver);                        // deadline(): the engine's last Timeout; fire(): handleTimeout
 * net.runUntil(() -> connected, Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Topology is a tree of {@link io.rtc4j.testkit.net.SimRealm}s: the internet at the root, and a private realm
 * behind each {@link io.rtc4j.testkit.net.SimNat}, which may hold further NATs. Impairments live on node links
 * ({@link io.rtc4j.testkit.net.SimNode#setUplink}, {@link io.rtc4j.testkit.net.SimNode#setDownlink}); NATs
 * translate in zero time. Use documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32),
 * private and shared (100.64.0.0/10) ranges; nothing here touches a real socket.
 */
package io.rtc4j.testkit.net;
