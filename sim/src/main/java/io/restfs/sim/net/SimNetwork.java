package io.restfs.sim.net;

import io.restfs.dht.krpc.KrpcMessage;
import io.restfs.dht.transport.MessageTransport;
import io.restfs.dht.transport.PacketHandler;
import io.restfs.dht.transport.Transport;
import io.restfs.sim.event.Lanes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * The simulated datagram network. Every node incarnation gets a slot (its index in the run) and the address
 * 10.x.y.z:6881 with x.y.z = slot + 1, so an address maps back to its slot by arithmetic, without a hash
 * map. A packet is lost with the configured probability, dropped when a partition separates its ends or its
 * receiver is down, and otherwise delivered after a delay drawn from the latency model, into the receiver's lane
 * (see {@link Lanes}): each lane draws from its own generator and keeps its own counters, so lanes running in
 * parallel share nothing here but the slot table, which changes only while lanes are not running, or in one node's
 * own slot from its own lane when it leaves gracefully (only its lane reads that slot: deliveries run there).
 *
 * <p>By default it carries KRPC message records with their encoded size ({@link Carriage#MESSAGES}), which spares
 * the encoding and decoding of every message and changes nothing a node sees; {@link Carriage#PACKETS} carries
 * datagrams as a socket would, and a test checks that both give the same run.
 */
public final class SimNetwork {
    /** What travels between simulated nodes. */
    public enum Carriage {
        /** KRPC message records and their encoded sizes, through {@link MessageTransport}. */
        MESSAGES,
        /** Encoded datagrams, decoded by the receiver as a UDP socket's would be. */
        PACKETS
    }

    /** BEP 5 examples and most clients use 6881; one port for all keeps addresses comparable. */
    public static final int PORT = 6881;
    /** Slots are numbered into the 24 host bits of 10.0.0.0/8. */
    public static final int MAX_SLOTS = (1 << 24) - 2;
    private static final int BASE = 10 << 24;

    // Counters per lane (each lane's thread writes only its own), 16 longs apart so lanes share no cache line.
    private static final int SENT = 0;
    private static final int SENT_BYTES = 1;
    private static final int DELIVERED = 2;
    private static final int LOST = 3;
    private static final int PARTITIONED = 4;
    private static final int TO_DEAD = 5;
    private static final int COUNTER_STRIDE = 16;

    private final Lanes lanes;
    /** Per lane: loss and latency draws for the messages its nodes send. */
    private final RandomGenerator[] random;
    private final LatencyModel latency;
    private double lossRate;
    private final List<Partition> partitions;
    private final long partitionSeed;
    private final Carriage carriage;
    private boolean partitionsEnabled = true;
    private long origin;

    private SimTransport[] slots = new SimTransport[1024];
    private byte[] regionOf = new byte[1024];
    private int slotCount;
    private final long[] counters;

    /**
     * @param laneRandom the generator of lane {@code i}'s draws (loss and latency of what its nodes send), so that
     *                   lanes running in parallel draw independently and in a fixed order
     */
    public SimNetwork(Lanes lanes, IntFunction<RandomGenerator> laneRandom, LatencyModel latency, double lossRate,
                      List<Partition> partitions, long partitionSeed, Carriage carriage) {
        if (lossRate < 0 || lossRate >= 1) {
            throw new IllegalArgumentException("loss must be in [0, 1), got " + lossRate);
        }
        if (latency.regions() > 127) {
            throw new IllegalArgumentException("at most 127 regions");
        }
        this.lanes = lanes;
        this.random = new RandomGenerator[lanes.lanes()];
        for (int i = 0; i < random.length; i++) {
            random[i] = laneRandom.apply(i);
        }
        this.counters = new long[lanes.lanes() * COUNTER_STRIDE];
        this.latency = latency;
        this.lossRate = lossRate;
        this.partitions = List.copyOf(partitions);
        this.partitionSeed = partitionSeed;
        this.carriage = carriage;
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
        SimTransport t = carriage == Carriage.MESSAGES ? new RecordTransport(slot, addressOf(slot))
                : new SimTransport(slot, addressOf(slot));
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
        long now = lanes.nowMillis() - origin;
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).separates(a, b, now, partitionSeed)) {
                return true;
            }
        }
        return false;
    }

    void send(SimTransport from, InetSocketAddress to, byte[] packet) {
        int lane = lanes.laneOf(from.slot);
        int dest = admit(lane, from, to, packet.length);
        if (dest >= 0) {
            // The sender keeps ownership of its array in production (UDP copies it out); the engine hands over
            // a freshly encoded array per send, so the simulator passes it on without a copy.
            deliver(lane, from, dest, new Delivery(dest, from.address, packet, null, 0));
        }
    }

    void send(SimTransport from, InetSocketAddress to, KrpcMessage message, int encodedBytes) {
        int lane = lanes.laneOf(from.slot);
        int dest = admit(lane, from, to, encodedBytes);
        if (dest >= 0) {
            deliver(lane, from, dest, new Delivery(dest, from.address, null, message, encodedBytes));
        }
    }

    private void deliver(int lane, SimTransport from, int dest, Delivery d) {
        long delay = Math.max(0, latency.sampleMillis(regionOf[from.slot], regionOf[dest], random[lane]));
        lanes.post(lane, lanes.laneOf(dest), lanes.nowMillis() + delay, d);
    }

    /** Counts a message of {@code bytes} sent; its destination slot when it is to be delivered, else -1. */
    private int admit(int lane, SimTransport from, InetSocketAddress to, int bytes) {
        int c = lane * COUNTER_STRIDE;
        counters[c + SENT]++;
        counters[c + SENT_BYTES] += bytes;
        int dest = slotOf(to);
        if (dest < 0 || dest >= slotCount) {
            counters[c + TO_DEAD]++;
            return -1;
        }
        if (lossRate > 0 && random[lane].nextDouble() < lossRate) {
            counters[c + LOST]++;
            return -1;
        }
        if (!partitions.isEmpty() && separated(from.slot, dest)) {
            counters[c + PARTITIONED]++;
            return -1;
        }
        return dest;
    }

    /** One packet or message in flight. */
    private final class Delivery implements Runnable {
        private final int dest;
        private final InetSocketAddress from;
        private final byte[] packet;
        private final KrpcMessage message;
        private final int encodedBytes;

        Delivery(int dest, InetSocketAddress from, byte[] packet, KrpcMessage message, int encodedBytes) {
            this.dest = dest;
            this.from = from;
            this.packet = packet;
            this.message = message;
            this.encodedBytes = encodedBytes;
        }

        @Override
        public void run() {
            // Runs on the receiver's lane, which alone writes its slot and its counters.
            int c = lanes.laneOf(dest) * COUNTER_STRIDE;
            SimTransport t = slots[dest];
            if (t == null || !t.up) {
                counters[c + TO_DEAD]++;
                return;
            }
            if (message != null && t instanceof RecordTransport r && r.messageHandler != null) {
                counters[c + DELIVERED]++;
                r.messageHandler.onMessage(from, message, encodedBytes);
            } else if (packet != null && t.handler != null) {
                counters[c + DELIVERED]++;
                t.handler.onPacket(from, packet);
            } else {
                counters[c + TO_DEAD]++; // not started yet: a socket not yet bound receives nothing either
            }
        }
    }

    public long sent() {
        return total(SENT);
    }

    public long sentBytes() {
        return total(SENT_BYTES);
    }

    public long delivered() {
        return total(DELIVERED);
    }

    public long lost() {
        return total(LOST);
    }

    public long partitioned() {
        return total(PARTITIONED);
    }

    /** Packets addressed to a node that was down when they arrived (or to an unknown address). */
    public long toDead() {
        return total(TO_DEAD);
    }

    /** A counter summed over the lanes; asked only while lanes are not running. */
    private long total(int counter) {
        long n = 0;
        for (int c = counter; c < counters.length; c += COUNTER_STRIDE) {
            n += counters[c];
        }
        return n;
    }

    /** One node incarnation's attachment to the network, carrying datagrams. */
    public class SimTransport implements Transport {
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

        final boolean isUp() {
            return up;
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

    /** An attachment carrying message records ({@link Carriage#MESSAGES}); the engine uses it instead of datagrams. */
    private final class RecordTransport extends SimTransport implements MessageTransport {
        private MessageHandler messageHandler;

        RecordTransport(int slot, InetSocketAddress address) {
            super(slot, address);
        }

        @Override
        public void startMessages(MessageHandler handler) {
            this.messageHandler = handler;
        }

        @Override
        public void send(InetSocketAddress to, KrpcMessage message, int encodedBytes) {
            if (isUp()) {
                SimNetwork.this.send(this, to, message, encodedBytes);
            }
        }
    }
}
