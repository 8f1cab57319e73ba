package io.restfs.node.storage;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.RestfsNodeInfo;
import io.restfs.dht.node.DataHolder;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.routing.Contact;
import io.restfs.node.placement.Candidate;

/**
 * The data-holding nodes this node knows, as placement candidates: the restfs peers of its routing table (whose
 * signed restfs_info it has verified), topped up by a {@link DhtNode#closestDataHolders} lookup when they are
 * too few, plus itself. Cached for {@link #REFRESH_MILLIS}, so a put of many segments costs no lookup per
 * shard. Nodes that just failed a transfer are suspected for {@link #SUSPECT_MILLIS}: left out of placement
 * and tried last on reads.
 */
final class HolderView {
    /** How long the cached view is used before the routing table is read again: membership changes slowly. */
    static final long REFRESH_MILLIS = 5_000;
    /** How long a node that failed a transfer is avoided; long enough to skip it for the rest of a big put. */
    static final long SUSPECT_MILLIS = 30_000;
    /** Longest wait for the DHT's logic thread or a lookup. */
    static final long DHT_WAIT_SECONDS = 30;

    private final DhtNode dht;
    private final Supplier<Candidate> self;
    private final Clock clock;
    private final Predicate<NodeId> gone;
    private final Map<NodeId, Long> suspects = new HashMap<>(); // guarded by this
    private List<Candidate> cached = List.of(); // guarded by this
    private long cachedAt = Long.MIN_VALUE / 2; // guarded by this
    private long lookedUpAt = Long.MIN_VALUE / 2; // guarded by this

    /** @param gone members known dead or gone (cluster membership): never candidates, never asked for shards */
    HolderView(DhtNode dht, Supplier<Candidate> self, Clock clock, Predicate<NodeId> gone) {
        this.dht = dht;
        this.self = self;
        this.clock = clock;
        this.gone = gone;
    }

    /** Every known data holder and this node, suspects included, members known gone not. */
    List<Candidate> all() {
        long now = clock.millis();
        synchronized (this) {
            if (now - cachedAt < REFRESH_MILLIS) {
                return withSelf(cached);
            }
        }
        List<Candidate> fresh = readRoutingTable();
        synchronized (this) {
            cached = fresh;
            cachedAt = now;
        }
        return withSelf(fresh);
    }

    /**
     * Placement candidates (suspects left out); when fewer than {@code needed}, asks the DHT for the data holders
     * closest to {@code target} and adds them.
     */
    List<Candidate> candidates(NodeId target, int needed) {
        List<Candidate> alive = all().stream().filter(c -> !suspected(c.id())).toList();
        long now = clock.millis();
        synchronized (this) {
            // A small cluster (doubling up) stays short of nodes: one lookup per refresh period finds any newcomer.
            if (alive.size() >= needed || now - lookedUpAt < REFRESH_MILLIS) {
                return alive;
            }
            lookedUpAt = now;
        }
        List<Candidate> found = new ArrayList<>(alive);
        for (DataHolder h : await(dht.closestDataHolders(target, Math.max(needed * 2, 8)))) {
            Candidate c = of(h.node().id(), h.info());
            if (c != null && !suspected(c.id()) && found.stream().noneMatch(f -> f.id().equals(c.id()))) {
                found.add(c);
            }
        }
        synchronized (this) {
            Map<NodeId, Candidate> merged = new HashMap<>();
            for (Candidate c : cached) {
                merged.put(c.id(), c);
            }
            for (Candidate c : found) {
                if (!c.local()) {
                    merged.put(c.id(), c);
                }
            }
            cached = List.copyOf(merged.values());
        }
        return found;
    }

    /** Known holders ordered by XOR distance to {@code target}, suspects last: whom a reader asks for a shard. */
    List<Candidate> closestTo(NodeId target) {
        return all().stream()
                .sorted(Comparator.<Candidate, Boolean>comparing(c -> suspected(c.id()))
                        .thenComparing((a, b) -> target.compareDistance(a.id(), b.id())))
                .toList();
    }

    Optional<Candidate> find(NodeId id) {
        return all().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    Candidate self() {
        return self.get();
    }

    void suspect(NodeId id) {
        if (id.equals(self.get().id())) {
            return;
        }
        synchronized (this) {
            suspects.put(id, clock.millis() + SUSPECT_MILLIS);
        }
    }

    /** Whether {@code id} recently failed a transfer or is known gone. */
    boolean suspected(NodeId id) {
        if (gone.test(id)) {
            return true;
        }
        synchronized (this) {
            Long until = suspects.get(id);
            if (until == null) {
                return false;
            }
            if (clock.millis() >= until) {
                suspects.remove(id);
                return false;
            }
            return true;
        }
    }

    private List<Candidate> withSelf(List<Candidate> others) {
        Candidate me = self.get();
        List<Candidate> out = new ArrayList<>(others.size() + 1);
        out.add(me);
        for (Candidate c : others) {
            // Checked on every call, not when cached: a death must count at once, not at the next refresh.
            if (!c.id().equals(me.id()) && !gone.test(c.id())) {
                out.add(c);
            }
        }
        return out;
    }

    private List<Candidate> readRoutingTable() {
        List<Contact> contacts = await(dht.contacts());
        List<CompletableFuture<Optional<RestfsNodeInfo>>> infos = new ArrayList<>(contacts.size());
        for (Contact c : contacts) {
            infos.add(dht.peerInfo(c.id()));
        }
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            Optional<RestfsNodeInfo> info = await(infos.get(i));
            if (info.isPresent()) {
                Candidate c = of(contacts.get(i).id(), info.get());
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return List.copyOf(out);
    }

    private static Candidate of(NodeId id, RestfsNodeInfo info) {
        if (!info.servesShards()) {
            return null;
        }
        return new Candidate(id, new InetSocketAddress(info.shardHost(), info.shardPort()), info.failureGroup(),
                info.freeBytes(), false);
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(DHT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.restfs.api.RestfsException(io.restfs.api.ErrorCode.UNAVAILABLE, "interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new io.restfs.api.RestfsException(io.restfs.api.ErrorCode.UNAVAILABLE,
                    "dht: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.restfs.api.RestfsException(io.restfs.api.ErrorCode.UNAVAILABLE,
                    "dht did not answer within " + DHT_WAIT_SECONDS + " s", e);
        }
    }
}
