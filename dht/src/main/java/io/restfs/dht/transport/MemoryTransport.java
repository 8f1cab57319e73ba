package io.restfs.dht.transport;

import java.net.InetSocketAddress;

/** One node's attachment to a {@link MemoryNetwork}. */
public final class MemoryTransport implements Transport {
    private final MemoryNetwork network;
    private final InetSocketAddress address;
    private PacketHandler handler;
    private boolean closed;

    MemoryTransport(MemoryNetwork network, InetSocketAddress address) {
        this.network = network;
        this.address = address;
    }

    @Override
    public void start(PacketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void send(InetSocketAddress to, byte[] packet) {
        if (!closed) {
            network.send(address, to, packet);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    void deliver(InetSocketAddress from, byte[] packet) {
        if (!closed && handler != null) {
            handler.onPacket(from, packet);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            network.detach(address);
        }
    }
}
