package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

import java.net.InetSocketAddress;

/**
 * A DHT contact: node id and UDP address. On the wire (BEP 5 "Contact Encoding") it is 26 bytes for IPv4 (id, 4-byte
 * address, 2-byte port) and 38 bytes for IPv6 in {@code nodes6} (BEP 32).
 */
public record NodeInfo(NodeId id, InetSocketAddress address) {
    /** BEP 5: 20-byte id + 4-byte IPv4 address + 2-byte port. */
    public static final int COMPACT_IPV4_BYTES = 26;
    /** BEP 32: 20-byte id + 16-byte IPv6 address + 2-byte port. */
    public static final int COMPACT_IPV6_BYTES = 38;

    public NodeInfo {
        if (id == null || address == null) {
            throw new IllegalArgumentException("node info needs an id and an address");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("node address must be a resolved IP address: " + address);
        }
    }

    public boolean isIpv4() {
        return address.getAddress() instanceof java.net.Inet4Address;
    }
}
