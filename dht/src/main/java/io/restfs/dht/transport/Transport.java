package io.restfs.dht.transport;

import java.net.InetSocketAddress;

/**
 * Datagrams in and out of one DHT node: real UDP in production, an in-memory network in tests and the
 * simulator. Implementations deliver received packets to the handler on the node's logic thread.
 */
public interface Transport extends AutoCloseable {
    /** Starts delivering received packets to {@code handler}; called once, before the first send. */
    void start(PacketHandler handler);

    /** Sends one datagram; best effort, as UDP is (a full or closed transport drops it). */
    void send(InetSocketAddress to, byte[] packet);

    /** The address peers reach this node at. */
    InetSocketAddress localAddress();

    /** Stops receiving and releases the socket; idempotent. */
    @Override
    void close();
}
