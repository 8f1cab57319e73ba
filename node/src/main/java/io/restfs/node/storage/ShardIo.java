package io.restfs.node.storage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.blockstore.codec.EncodedSegment;
import io.restfs.blockstore.codec.Shard;
import io.restfs.blockstore.store.CapacityExceededException;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.dht.id.NodeId;
import io.restfs.node.meta.ShardRef;
import io.restfs.node.meta.StoredSegment;
import io.restfs.node.placement.Candidate;
import io.restfs.node.placement.ShardPlacement;
import io.restfs.node.transfer.ShardTransferClient;
import io.restfs.node.transfer.ShardTransferException;
import io.restfs.node.transfer.TransferPeer;

/**
 * Moves one segment's shards between this node and their holders: writes all k+m where placement says, retrying
 * a failed shard on the next-closest node, and reads back any k, trying each shard's recorded holder first and
 * then the nodes XOR placement points at. Shards are content-addressed (stored under their SHA-256) and checked
 * against it on arrival, whoever sent them.
 */
final class ShardIo {
    private static final Logger log = LoggerFactory.getLogger(ShardIo.class);

    /** Rounds of re-placing shards whose holders failed during a put: each round tries the next-closest nodes. */
    static final int MAX_PUT_ROUNDS = 4;
    /** Nodes asked for one shard on a read beyond its recorded holder, closest to its placement key first. */
    static final int READ_FALLBACK_NODES = 3;
    /** Longest wait for one round of shard puts: the transfer client's own timeouts end stuck requests first. */
    static final long PUT_ROUND_WAIT_SECONDS = 120;

    private final HolderView view;
    private final ShardStore store;
    private final ShardTransferClient client;
    private final Executor io;

    ShardIo(HolderView view, ShardStore store, ShardTransferClient client, Executor io) {
        this.view = view;
        this.store = store;
        this.client = client;
        this.io = io;
    }

    /**
     * Stores every shard of {@code segment}; returns once all k+m are durable on their holders (a remote store
     * fsyncs before it answers), with the holders they ended on.
     */
    StoredSegment store(EncodedSegment segment, boolean allowDoubleUp) {
        List<Shard> shards = segment.shards();
        int n = shards.size();
        Sha256[] hashes = new Sha256[n];
        long shardBytes = 0;
        for (int i = 0; i < n; i++) {
            hashes[i] = Sha256.of(shards.get(i).bytes());
            shardBytes = Math.max(shardBytes, shards.get(i).bytes().length);
        }
        List<Candidate> candidates = view.candidates(ShardPlacement.shardTarget(segment.id(), 0), n);
        List<Candidate> holders = new ArrayList<>(
                ShardPlacement.place(segment.id(), n, shardBytes, candidates, allowDoubleUp));
        Set<NodeId> failed = new HashSet<>();
        Set<Integer> pending = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            pending.add(i);
        }
        Map<Integer, String> lastError = new TreeMap<>();
        boolean capacityOnly = true;
        for (int round = 0; round < MAX_PUT_ROUNDS && !pending.isEmpty(); round++) {
            Map<Integer, CompletableFuture<Void>> puts = new TreeMap<>();
            for (int i : pending) {
                ShardSpec spec = ShardSpec.contentAddressed(hashes[i], segment.id().toHex(), i, 0);
                puts.put(i, send(holders.get(i), spec, shards.get(i).bytes()));
            }
            Set<Integer> stillPending = new java.util.TreeSet<>();
            for (Map.Entry<Integer, CompletableFuture<Void>> e : puts.entrySet()) {
                int i = e.getKey();
                Candidate holder = holders.get(i);
                Throwable error = outcome(e.getValue());
                if (error == null) {
                    continue;
                }
                stillPending.add(i);
                failed.add(holder.id());
                lastError.put(i, holder.id() + ": " + error.getMessage());
                boolean full = error instanceof CapacityExceededException || error instanceof ShardTransferException.Capacity;
                capacityOnly &= full;
                if (!full) {
                    view.suspect(holder.id());
                }
                log.info("put of shard {} of segment {} to node {} failed ({}); placing it elsewhere", i,
                        segment.id(), holder.id(), error.getMessage());
            }
            pending = stillPending;
            for (int i : pending) {
                List<Candidate> others = new ArrayList<>(holders);
                others.remove(i);
                Optional<Candidate> next = ShardPlacement.choose(segment.id(), i, shardBytes,
                        view.candidates(ShardPlacement.shardTarget(segment.id(), i), n), others, failed,
                        allowDoubleUp);
                if (next.isEmpty()) {
                    throw new RestfsException(capacityOnly ? ErrorCode.CAPACITY_EXCEEDED : ErrorCode.INSUFFICIENT_NODES,
                            "segment " + segment.id() + ": no node left to hold shard " + i + " after failures "
                                    + lastError);
                }
                holders.set(i, next.get());
            }
        }
        if (!pending.isEmpty()) {
            throw new RestfsException(capacityOnly ? ErrorCode.CAPACITY_EXCEEDED : ErrorCode.UNAVAILABLE,
                    "segment " + segment.id() + ": shards " + pending + " could not be stored after "
                            + MAX_PUT_ROUNDS + " rounds: " + lastError);
        }
        List<ShardRef> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(new ShardRef(i, hashes[i], Optional.of(holders.get(i).id())));
        }
        return new StoredSegment(segment.id(), segment.plaintextLength(), segment.policy().k(), segment.policy().m(),
                refs);
    }

    private CompletableFuture<Void> send(Candidate holder, ShardSpec spec, byte[] bytes) {
        if (holder.local()) {
            return CompletableFuture.runAsync(() -> store.put(spec, bytes), io);
        }
        // Hashed in store() already (the hash is the shard's address): not hashed again on the way out.
        return client.putHashed(TransferPeer.pinned(holder.shardAddress(), holder.id()), spec, bytes);
    }

    /** The failure of a finished-or-waited-for future, unwrapped; null when it succeeded. */
    private static Throwable outcome(CompletableFuture<?> f) {
        try {
            f.get(PUT_ROUND_WAIT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (ExecutionException e) {
            return unwrap(e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            return new TimeoutException("no answer in " + PUT_ROUND_WAIT_SECONDS + " s");
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** What {@link #delete} did: shards deleted from their holders, and shards left behind (orphans). */
    record Reclaimed(int deleted, int orphaned) {
    }

    /**
     * Deletes {@code refs} (shards of {@code segment}) from their recorded holders, all at once, and waits for the
     * answers: best effort. A shard whose holder is not recorded, is not known to this node's view of the cluster,
     * or does not answer stays where it is, an orphan; each is logged. A holder that no longer has the shard counts
     * as deleted (a retried delete, or a shard a put wrote elsewhere).
     */
    Reclaimed delete(StoredSegment segment, List<ShardRef> refs) {
        Map<Integer, CompletableFuture<Boolean>> deletes = new TreeMap<>();
        int orphaned = 0;
        for (ShardRef ref : refs) {
            ShardKey key = ShardKey.of(ref.sha256());
            Optional<Candidate> holder = ref.holder().flatMap(view::find);
            if (holder.isEmpty()) {
                orphaned++;
                log.warn("shard {} of segment {} ({}) left behind: its holder {} is not known", ref.index(),
                        segment.id(), key, ref.holder().map(NodeId::toHex).orElse("(not recorded)"));
                continue;
            }
            Candidate c = holder.get();
            deletes.put(ref.index(), c.local() ? CompletableFuture.supplyAsync(() -> store.delete(key), io)
                    : client.delete(TransferPeer.pinned(c.shardAddress(), c.id()), key));
        }
        int deleted = 0;
        for (Map.Entry<Integer, CompletableFuture<Boolean>> e : deletes.entrySet()) {
            Throwable error = outcome(e.getValue());
            if (error == null) {
                deleted++;
            } else {
                orphaned++;
                ShardRef ref = segment.shards().get(e.getKey());
                log.warn("shard {} of segment {} ({}) left behind: deleting it on {} failed ({})", ref.index(),
                        segment.id(), ShardKey.of(ref.sha256()), ref.holder().map(NodeId::toHex).orElse("?"),
                        error.getMessage());
            }
        }
        return new Reclaimed(deleted, orphaned);
    }

    /**
     * Fetches at least k good shards of {@code segment} in parallel, data shards first: each from its recorded
     * holder, then from the nodes closest to its placement key. Fails with {@link ErrorCode#UNAVAILABLE} when
     * fewer than k can be had.
     */
    CompletableFuture<List<byte[]>> fetch(StoredSegment segment) {
        return new Fetch(segment).start();
    }

    /** One segment's read: keeps k shard fetches going, starting the next index whenever one fails. */
    private final class Fetch {
        private final StoredSegment segment;
        private final List<Integer> order = new ArrayList<>();
        private final List<byte[]> good = new ArrayList<>();
        private final Map<Integer, String> errors = new TreeMap<>();
        private final CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
        private int nextIndex;
        private int running;

        Fetch(StoredSegment segment) {
            this.segment = segment;
            // Shards whose holder is not suspected first, data before parity (decoding then needs no rebuild).
            for (ShardRef r : segment.shards()) {
                if (r.holder().isEmpty() || !view.suspected(r.holder().get())) {
                    order.add(r.index());
                }
            }
            for (ShardRef r : segment.shards()) {
                if (!order.contains(r.index())) {
                    order.add(r.index());
                }
            }
        }

        CompletableFuture<List<byte[]>> start() {
            synchronized (this) {
                for (int i = 0; i < segment.k(); i++) {
                    launchNext();
                }
            }
            return result;
        }

        /** Called holding the lock. */
        private void launchNext() {
            if (nextIndex >= order.size()) {
                return;
            }
            int index = order.get(nextIndex++);
            running++;
            fetchShard(segment, segment.shards().get(index)).whenCompleteAsync((bytes, error) -> {
                synchronized (this) {
                    running--;
                    if (result.isDone()) {
                        return;
                    }
                    if (error == null) {
                        good.add(bytes);
                        if (good.size() >= segment.k()) {
                            result.complete(List.copyOf(good));
                        }
                    } else {
                        errors.put(index, unwrap(error).getMessage());
                        launchNext();
                        if (running == 0) {
                            result.completeExceptionally(new RestfsException(ErrorCode.UNAVAILABLE, "segment "
                                    + segment.id() + ": " + good.size() + " of the " + segment.k()
                                    + " shards needed could be fetched; failed: " + errors));
                        }
                    }
                }
            }, io);
        }
    }

    /** One shard, hash-checked: from its recorded holder, else from the nodes XOR placement points at. */
    private CompletableFuture<byte[]> fetchShard(StoredSegment segment, ShardRef ref) {
        List<Candidate> sources = new ArrayList<>();
        ref.holder().flatMap(view::find).ifPresent(sources::add);
        int added = 0;
        for (Candidate c : view.closestTo(ShardPlacement.shardTarget(segment.id(), ref.index()))) {
            if (added >= READ_FALLBACK_NODES) {
                break;
            }
            if (sources.stream().noneMatch(s -> s.id().equals(c.id()))) {
                sources.add(c);
                added++;
            }
        }
        // The local store is free to ask: try it first if it has the shard.
        Candidate me = view.self();
        ShardKey key = ShardKey.of(ref.sha256());
        if (store.has(key)) {
            sources.removeIf(c -> c.id().equals(me.id()));
            sources.add(0, me);
        }
        return tryFrom(sources, 0, key, ref, new ArrayList<>());
    }

    private CompletableFuture<byte[]> tryFrom(List<Candidate> sources, int at, ShardKey key, ShardRef ref,
            List<String> errors) {
        if (at >= sources.size()) {
            return CompletableFuture.failedFuture(new RestfsException(ErrorCode.UNAVAILABLE,
                    "shard " + ref.index() + " (" + key + ") not found on " + sources.size() + " nodes: " + errors));
        }
        Candidate c = sources.get(at);
        // Each path hashes the bytes exactly once and checks them against the hash the manifest names: the local
        // store against the hash it recorded at write (which must be the manifest's), a peer's on arrival.
        CompletableFuture<byte[]> got = c.local()
                ? CompletableFuture.supplyAsync(() -> {
                    if (store.meta(key).filter(m -> m.sha256().equals(ref.sha256())).isEmpty()) {
                        throw new RestfsException(ErrorCode.INTEGRITY, "shard " + key + " on this node is recorded"
                                + " with another hash than its manifest names");
                    }
                    return store.get(key);
                }, io)
                : client.get(TransferPeer.pinned(c.shardAddress(), c.id()), key, ref.sha256());
        return got.exceptionallyCompose(e -> {
            Throwable cause = unwrap(e);
            if (cause instanceof ShardTransferException.ConnectionFailed || cause instanceof ShardTransferException.Timeout) {
                view.suspect(c.id());
            }
            errors.add(c.id().toHex().substring(0, 8) + ": " + cause.getMessage());
            return tryFrom(sources, at + 1, key, ref, errors);
        });
    }
}
