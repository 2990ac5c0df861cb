/**
 * Real-kernel NAT topologies for tests (ENGINEERING.md §4): {@link io.rtc4j.testkit.netns.NetnsLab} builds
 * network namespaces joined by veth pairs, a {@link io.rtc4j.testkit.netns.PublicNetwork} (bridge, dead-end
 * default route), {@link io.rtc4j.testkit.netns.NatBox}es doing nftables {@code masquerade} (plain: port-restricted
 * cone; {@code fully-random}: symmetric) that drop unsolicited inbound packets, and
 * {@link io.rtc4j.testkit.netns.LabHost}s; processes run inside a namespace through
 * {@link io.rtc4j.testkit.netns.Netns#process}. Needs root, iproute2 and nftables; tests skip without root
 * unless {@code CI=true}. Traffic stays inside the lab's namespaces.
 */
package io.rtc4j.testkit.netns;
