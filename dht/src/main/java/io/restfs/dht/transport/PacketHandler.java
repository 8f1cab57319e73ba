package io.restfs.dht.transport;

import java.net.InetSocketAddress;

/** Receives datagrams on the node's logic thread. */
@FunctionalInterface
public interface PacketHandler {
    void onPacket(InetSocketAddress from, byte[] packet);
}
