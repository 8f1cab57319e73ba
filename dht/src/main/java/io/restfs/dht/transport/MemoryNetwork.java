package io.restfs.dht.transport;

import io.restfs.dht.env.Scheduler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * An in-memory datagram network on one shared scheduler: every node's transport attaches here, and packets
 * arrive after a random latency drawn from the network's own seeded random, or are lost. Nodes can be taken
 * down (their packets vanish both ways). For fast tests of many nodes in virtual time.
 */
public final class MemoryNetwork {
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Latency latency;
    private final double lossRate;
    private final Map<InetSocketAddress, MemoryTransport> endpoints = new HashMap<>();
    private final Set<InetSocketAddress> down = new HashSet<>();
    private long delivered;
    private long dropped;
    private int nextHost = 1;

    /** One-way delay of a packet, drawn from the network's random for each packet. */
    @FunctionalInterface
    public interface Latency {
        long sampleMillis(RandomGenerator random);

        /** Uniform in [min, max] millis. */
        static Latency uniform(long minMillis, long maxMillis) {
            if (minMillis < 0 || maxMillis < minMillis) {
                throw new IllegalArgumentException("latency range [" + minMillis + ", " + maxMillis + "]");
            }
            return minMillis == maxMillis ? r -> minMillis : r -> r.nextLong(minMillis, maxMillis + 1);
        }

        /**
         * Log-normal with the given median and sigma (of the underlying normal), rounded to whole millis: a long
         * tail of slow packets, as measured on the Internet, where a fixed soft timeout misjudges live peers.
         */
        static Latency logNormal(double medianMillis, double sigma) {
            if (medianMillis <= 0 || sigma < 0) {
                throw new IllegalArgumentException("log-normal latency needs median > 0 and sigma >= 0, got "
                        + medianMillis + ", " + sigma);
            }
            double mu = Math.log(medianMillis);
            return r -> Math.round(Math.exp(mu + sigma * r.nextGaussian()));
        }
    }

    public MemoryNetwork(Scheduler scheduler, RandomGenerator random, long minLatencyMillis, long maxLatencyMillis,
                         double lossRate) {
        this(scheduler, random, Latency.uniform(minLatencyMillis, maxLatencyMillis), lossRate);
    }

    /** A network whose packets take {@code latency} each, and are lost with probability {@code lossRate}. */
    public MemoryNetwork(Scheduler scheduler, RandomGenerator random, Latency latency, double lossRate) {
        if (lossRate < 0 || lossRate >= 1) {
            throw new IllegalArgumentException("loss rate must be in [0, 1), got " + lossRate);
        }
        this.scheduler = scheduler;
        this.random = random;
        this.latency = latency;
        this.lossRate = lossRate;
    }

    /** A fresh address in 10.0.0.0/8, port 6881, unique on this network. */
    public InetSocketAddress nextAddress() {
        int h = nextHost++;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {10, (byte) (h >> 16), (byte) (h >> 8), (byte) h}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }

    /** A transport bound to {@code address} on this network. */
    public MemoryTransport attach(InetSocketAddress address) {
        if (endpoints.containsKey(address)) {
            throw new IllegalStateException("address already attached: " + address);
        }
        MemoryTransport t = new MemoryTransport(this, address);
        endpoints.put(address, t);
        return t;
    }

    /** Takes a node down (true) or brings it back (false): a down node neither sends nor receives. */
    public void setDown(InetSocketAddress address, boolean isDown) {
        if (isDown) {
            down.add(address);
        } else {
            down.remove(address);
        }
    }

    public long delivered() {
        return delivered;
    }

    public long dropped() {
        return dropped;
    }

    void detach(InetSocketAddress address) {
        endpoints.remove(address);
    }

    void send(InetSocketAddress from, InetSocketAddress to, byte[] packet) {
        if (down.contains(from) || down.contains(to) || (lossRate > 0 && random.nextDouble() < lossRate)) {
            dropped++;
            return;
        }
        long delay = Math.max(0, latency.sampleMillis(random));
        byte[] copy = packet.clone();
        scheduler.schedule(delay, () -> {
            MemoryTransport target = endpoints.get(to);
            if (target == null || down.contains(to)) {
                dropped++;
                return;
            }
            delivered++;
            target.deliver(from, copy);
        });
    }
}
