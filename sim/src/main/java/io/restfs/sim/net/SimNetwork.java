package io.restfs.sim.net;

import io.restfs.dht.transport.PacketHandler;
import io.restfs.dht.transport.Transport;
import io.restfs.sim.event.EventQueue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The simulated datagram network. Every node incarnation gets a slot (its index in the run) and the address
 * 10.x.y.z:6881 with x.y.z = slot + 1, so an address maps back to its slot by arithmetic, without a hash
 * map. A packet is lost with the configured probability, dropped when a partition separates its ends or its
 * receiver is down, and otherwise delivered after a delay drawn from the latency model.
 */
public final class SimNetwork {
    /** BEP 5 examples and most clients use 6881; one port for all keeps addresses comparable. */
    public static final int PORT = 6881;
    /** Slots are numbered into the 24 host bits of 10.0.0.0/8. */
    public static final int MAX_SLOTS = (1 << 24) - 2;
    private static final int BASE = 10 << 24;

    private final EventQueue queue;
    private final RandomGenerator random;
    private final LatencyModel latency;
    private double lossRate;
    private final List<Partition> partitions;
    private final long partitionSeed;
    private boolean partitionsEnabled = true;
    private long origin;

    private SimTransport[] slots = new SimTransport[1024];
    private byte[] regionOf = new byte[1024];
    private int slotCount;

    private long sent;
    private long sentBytes;
    private long delivered;
    private long lost;
    private long partitioned;
    private long toDead;

    public SimNetwork(EventQueue queue, RandomGenerator random, LatencyModel latency, double lossRate,
                      List<Partition> partitions, long partitionSeed) {
        if (lossRate < 0 || lossRate >= 1) {
            throw new IllegalArgumentException("loss must be in [0, 1), got " + lossRate);
        }
        if (latency.regions() > 127) {
            throw new IllegalArgumentException("at most 127 regions");
        }
        this.queue = queue;
        this.random = random;
        this.latency = latency;
        this.lossRate = lossRate;
        this.partitions = List.copyOf(partitions);
        this.partitionSeed = partitionSeed;
    }

    /** Address of slot {@code slot}. */
    public static InetSocketAddress addressOf(int slot) {
        int host = BASE + slot + 1;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {
                    (byte) (host >>> 24), (byte) (host >>> 16), (byte) (host >>> 8), (byte) host}), PORT);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }

    /** Slot of an address made by {@link #addressOf}, or -1 for any other address. */
    public static int slotOf(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (!(a instanceof java.net.Inet4Address) || address.getPort() != PORT) {
            return -1;
        }
        // Inet4Address.hashCode() is its address as an int (specified by the JDK), read without a copy.
        int slot = a.hashCode() - BASE - 1;
        return slot >= 0 && slot < MAX_SLOTS ? slot : -1;
    }

    /** Creates the transport of a new node incarnation in {@code region}; the node is up until {@link #down}. */
    public SimTransport attach(int region) {
        if (slotCount == MAX_SLOTS) {
            throw new IllegalStateException("address space full: " + MAX_SLOTS + " node incarnations");
        }
        int slot = slotCount++;
        if (slot == slots.length) {
            slots = Arrays.copyOf(slots, slot * 2);
            regionOf = Arrays.copyOf(regionOf, slot * 2);
        }
        SimTransport t = new SimTransport(slot, addressOf(slot));
        slots[slot] = t;
        regionOf[slot] = (byte) region;
        return t;
    }

    /** Takes slot {@code slot} off the network for good: packets in flight to it are dropped. */
    public void down(int slot) {
        SimTransport t = slots[slot];
        if (t != null) {
            t.up = false;
            slots[slot] = null;
        }
    }

    public boolean isUp(int slot) {
        return slot >= 0 && slot < slotCount && slots[slot] != null;
    }

    public int slotCount() {
        return slotCount;
    }

    public int regionOf(int slot) {
        return regionOf[slot];
    }

    /** Partition times count from {@code originMillis} (the start of the measured phase). */
    public void setOrigin(long originMillis) {
        this.origin = originMillis;
    }

    /** Turns message loss and partitions off (the liveness phase) or back on. */
    public void setFaults(boolean on, double loss) {
        this.partitionsEnabled = on;
        this.lossRate = on ? loss : 0;
    }

    public List<Partition> partitions() {
        return partitions;
    }

    /** The group slot {@code slot} falls in during partition {@code p}. */
    public int groupOf(Partition p, int slot) {
        return p.groupOf(slot, partitionSeed);
    }

    /** Whether a partition currently keeps slots {@code a} and {@code b} apart. */
    public boolean separated(int a, int b) {
        if (!partitionsEnabled) {
            return false;
        }
        long now = queue.nowMillis() - origin;
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).separates(a, b, now, partitionSeed)) {
                return true;
            }
        }
        return false;
    }

    void send(SimTransport from, InetSocketAddress to, byte[] packet) {
        sent++;
        sentBytes += packet.length;
        int dest = slotOf(to);
        if (dest < 0 || dest >= slotCount) {
            toDead++;
            return;
        }
        if (lossRate > 0 && random.nextDouble() < lossRate) {
            lost++;
            return;
        }
        if (!partitions.isEmpty() && separated(from.slot, dest)) {
            partitioned++;
            return;
        }
        long delay = latency.sampleMillis(regionOf[from.slot], regionOf[dest], random);
        // The sender keeps ownership of its array in production (UDP copies it out); the engine hands over
        // a freshly encoded array per send, so the simulator passes it on without a copy.
        queue.at(queue.nowMillis() + Math.max(0, delay), new Delivery(dest, from.address, packet));
    }

    /** One packet in flight. */
    private final class Delivery implements Runnable {
        private final int dest;
        private final InetSocketAddress from;
        private final byte[] packet;

        Delivery(int dest, InetSocketAddress from, byte[] packet) {
            this.dest = dest;
            this.from = from;
            this.packet = packet;
        }

        @Override
        public void run() {
            SimTransport t = slots[dest];
            if (t == null || !t.up || t.handler == null) {
                toDead++;
                return;
            }
            delivered++;
            t.handler.onPacket(from, packet);
        }
    }

    public long sent() {
        return sent;
    }

    public long sentBytes() {
        return sentBytes;
    }

    public long delivered() {
        return delivered;
    }

    public long lost() {
        return lost;
    }

    public long partitioned() {
        return partitioned;
    }

    /** Packets addressed to a node that was down when they arrived (or to an unknown address). */
    public long toDead() {
        return toDead;
    }

    /** One node incarnation's attachment to the network. */
    public final class SimTransport implements Transport {
        private final int slot;
        private final InetSocketAddress address;
        private PacketHandler handler;
        private boolean up = true;

        SimTransport(int slot, InetSocketAddress address) {
            this.slot = slot;
            this.address = address;
        }

        public int slot() {
            return slot;
        }

        @Override
        public void start(PacketHandler handler) {
            this.handler = handler;
        }

        @Override
        public void send(InetSocketAddress to, byte[] packet) {
            if (up) {
                SimNetwork.this.send(this, to, packet);
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public void close() {
            down(slot);
        }
    }
}
