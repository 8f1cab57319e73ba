package io.restfs.dht.krpc;

import io.restfs.dht.id.NodeId;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** BEP 5 / BEP 32 compact encodings: "Compact IP-address/port info" and "Compact node info". */
final class Compact {
    /** BEP 5: 4-byte IPv4 address and 2-byte port, network byte order. */
    static final int IPV4_PEER_BYTES = 6;
    /** BEP 32: 16-byte IPv6 address and 2-byte port. */
    static final int IPV6_PEER_BYTES = 18;

    private Compact() {
    }

    static void checkAddress(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be a resolved IP address: " + address);
        }
    }

    static byte[] peer(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] out = Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (address.getPort() >>> 8);
        out[ip.length + 1] = (byte) address.getPort();
        return out;
    }

    /** Parses a 6- or 18-byte compact peer; null for any other length. */
    static InetSocketAddress peer(byte[] b, int offset, int length) {
        if (length != IPV4_PEER_BYTES && length != IPV6_PEER_BYTES) {
            return null;
        }
        int ipLength = length - 2;
        InetAddress ip;
        try {
            // Neither call resolves names. Inet6Address.getByAddress keeps an IPv4-mapped IPv6 address as IPv6, so a
            // nodes6 entry stays IPv6 and re-encodes to the same 18 bytes.
            byte[] raw = Arrays.copyOfRange(b, offset, offset + ipLength);
            ip = ipLength == 4 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, -1);
        } catch (UnknownHostException impossible) {
            return null;
        }
        int port = ((b[offset + ipLength] & 0xff) << 8) | (b[offset + ipLength + 1] & 0xff);
        return new InetSocketAddress(ip, port);
    }

    static byte[] nodes(List<NodeInfo> nodes, boolean ipv6) {
        int each = ipv6 ? NodeInfo.COMPACT_IPV6_BYTES : NodeInfo.COMPACT_IPV4_BYTES;
        byte[] out = new byte[nodes.size() * each];
        int at = 0;
        for (NodeInfo n : nodes) {
            byte[] id = n.id().toBytes();
            System.arraycopy(id, 0, out, at, NodeId.LENGTH);
            byte[] peer = peer(n.address());
            System.arraycopy(peer, 0, out, at + NodeId.LENGTH, peer.length);
            at += each;
        }
        return out;
    }

    /** Parses concatenated compact node infos; the caller has checked the length is a multiple of the entry size. */
    static List<NodeInfo> nodes(byte[] b, boolean ipv6) {
        int each = ipv6 ? NodeInfo.COMPACT_IPV6_BYTES : NodeInfo.COMPACT_IPV4_BYTES;
        List<NodeInfo> out = new ArrayList<>(b.length / each);
        for (int at = 0; at + each <= b.length; at += each) {
            NodeId id = NodeId.of(Arrays.copyOfRange(b, at, at + NodeId.LENGTH));
            out.add(new NodeInfo(id, peer(b, at + NodeId.LENGTH, each - NodeId.LENGTH)));
        }
        return out;
    }

    static boolean isIpv4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }

    static boolean isIpv6(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address;
    }
}
