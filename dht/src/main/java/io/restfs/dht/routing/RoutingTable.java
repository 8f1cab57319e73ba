package io.restfs.dht.routing;

import io.restfs.dht.env.Clock;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.id.NodeIdMap;
import io.restfs.dht.krpc.NodeInfo;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Kademlia k-buckets around our own id (BEP 5): the bucket holding our own id splits when full, others keep
 * their least recently seen nodes and park newcomers in a replacement cache until a member goes bad.
 * Pure logic: no I/O, time from the injected clock, not thread-safe (the node's logic thread owns it).
 *
 * <p>Bucket {@code i < last} holds the nodes sharing exactly {@code i} leading bits with our id; the last
 * bucket holds every node sharing at least {@code last} bits, and is the one that splits.
 */
public final class RoutingTable {
    /** BEP 5: "Each bucket can only hold K nodes, currently eight"; restfs defaults to 20 as Kademlia's paper does. */
    public static final int DEFAULT_K = 20;
    /** BEP 5: a node is good if it responded or queried us within the last 15 minutes. */
    public static final long QUESTIONABLE_AFTER_MILLIS = 15 * 60_000L;
    /** BEP 5: "Nodes become bad when they fail to respond to multiple queries in a row": two in a row. */
    public static final int BAD_AFTER_FAILURES = 2;
    /** BEP 5: buckets not changed in 15 minutes are refreshed with a lookup of a random id in their range. */
    public static final long REFRESH_AFTER_MILLIS = 15 * 60_000L;

    private final NodeId self;
    private final int k;
    private final Clock clock;
    private final List<Bucket> buckets = new ArrayList<>();
    /**
     * The members and the replacement-cache entries by id, for finding one without scanning its bucket. Only looked
     * into, never iterated: every decision walks the buckets' ordered lists.
     */
    private final NodeIdMap<Entry> liveById;
    private final NodeIdMap<Entry> cachedById;

    private static final class Entry {
        final NodeId id;
        final InetSocketAddress address;
        /** The contact as it goes into find_node answers; made once, as id and address never change. */
        final NodeInfo info;
        long lastSeen;
        long lastResponse = Contact.NEVER;
        int failures;
        PeerKind kind = PeerKind.UNKNOWN;

        Entry(NodeId id, InetSocketAddress address, long now) {
            this.id = id;
            this.address = address;
            this.info = new NodeInfo(id, address);
            this.lastSeen = now;
        }
    }

    /** Entry liveness as of its failures and answers alone; GOOD further needs a recent lastSeen. */
    private static final byte MAY_BE_GOOD = 0;
    private static final byte QUESTIONABLE_ANYWAY = 1;
    private static final byte BAD = 2;
    /** Room for a bucket's first members, grown by doubling up to k: the deep buckets of a table hold a few. */
    private static final int INITIAL_MEMBERS = 4;

    /**
     * A bucket's members, least recently seen first, with what choosing among them reads kept beside them in
     * arrays (id prefix, last seen, failure state, the contact): answering a find_node walks dozens of members,
     * and reading these from each member's own object cost a cache miss apiece. The entries stay the record of
     * every field; the arrays are refreshed from one whenever it is added, moved, touched or failed.
     */
    private static final class Members {
        private Entry[] entries;
        private long[] prefixes;
        private long[] lastSeen;
        private byte[] states;
        private NodeInfo[] infos;
        private int size;
        /** The most members a bucket holds (k); the arrays start small, as most buckets far from full. */
        private final int max;

        Members(int max) {
            this.max = max;
            int capacity = Math.min(max, INITIAL_MEMBERS);
            entries = new Entry[capacity];
            prefixes = new long[capacity];
            lastSeen = new long[capacity];
            states = new byte[capacity];
            infos = new NodeInfo[capacity];
        }

        int size() {
            return size;
        }

        Entry get(int i) {
            return entries[i];
        }

        void add(Entry e) {
            insert(size, e);
        }

        void addFirst(Entry e) {
            insert(0, e);
        }

        private void insert(int at, Entry e) {
            if (size == entries.length) {
                int n = Math.max(size + 1, Math.min(max, size * 2));
                entries = Arrays.copyOf(entries, n);
                prefixes = Arrays.copyOf(prefixes, n);
                lastSeen = Arrays.copyOf(lastSeen, n);
                states = Arrays.copyOf(states, n);
                infos = Arrays.copyOf(infos, n);
            }
            int tail = size - at;
            System.arraycopy(entries, at, entries, at + 1, tail);
            System.arraycopy(prefixes, at, prefixes, at + 1, tail);
            System.arraycopy(lastSeen, at, lastSeen, at + 1, tail);
            System.arraycopy(states, at, states, at + 1, tail);
            System.arraycopy(infos, at, infos, at + 1, tail);
            entries[at] = e;
            prefixes[at] = e.id.prefix();
            infos[at] = e.info;
            size++;
            copyState(at, e);
        }

        void remove(Entry e) {
            int at = indexOf(e);
            if (at < 0) {
                return;
            }
            int tail = size - at - 1;
            System.arraycopy(entries, at + 1, entries, at, tail);
            System.arraycopy(prefixes, at + 1, prefixes, at, tail);
            System.arraycopy(lastSeen, at + 1, lastSeen, at, tail);
            System.arraycopy(states, at + 1, states, at, tail);
            System.arraycopy(infos, at + 1, infos, at, tail);
            size--;
            entries[size] = null;
            infos[size] = null;
        }

        /** Re-reads {@code e}'s last seen time and failure state after they changed. */
        void refresh(Entry e) {
            int at = indexOf(e);
            if (at >= 0) {
                copyState(at, e);
            }
        }

        private void copyState(int at, Entry e) {
            lastSeen[at] = e.lastSeen;
            states[at] = stateOf(e);
        }

        private int indexOf(Entry e) {
            for (int i = 0; i < size; i++) {
                if (entries[i] == e) {
                    return i;
                }
            }
            return -1;
        }

        boolean bad(int i) {
            return states[i] == BAD;
        }

        Liveness liveness(int i, long now) {
            return RoutingTable.liveness(states[i], lastSeen[i], now);
        }
    }

    /** The part of {@link #liveness(Entry, long)} that does not depend on the time. */
    private static byte stateOf(Entry e) {
        // A node that never answered gets no second chance: it may be a spoofed source address.
        if (e.failures >= BAD_AFTER_FAILURES || (e.failures >= 1 && e.lastResponse == Contact.NEVER)) {
            return BAD;
        }
        return e.lastResponse != Contact.NEVER && e.failures == 0 ? MAY_BE_GOOD : QUESTIONABLE_ANYWAY;
    }

    private final class Bucket {
        /** Least recently seen first. */
        Members live = new Members(k);
        /** Newest last; bounded to k. */
        final ArrayDeque<Entry> replacements = new ArrayDeque<>();
        long lastChanged;

        Bucket(long now) {
            this.lastChanged = now;
        }
    }

    /**
     * A table whose id indexes hash with a constant derived from {@code self}, which peers know: for tables that
     * never face chosen ids (tests, tools). A node's own table takes a secret (the other constructor).
     */
    public RoutingTable(NodeId self, int k, Clock clock) {
        this(self, k, clock, self.prefix() * 0x9E37_79B9_7F4A_7C15L);
    }

    /**
     * @param indexKey a secret of the node's: the id indexes mix it into their hashes, so that peers cannot grind
     *                 ids that collide in them (see {@link NodeIdMap})
     */
    public RoutingTable(NodeId self, int k, Clock clock, long indexKey) {
        if (k < 1) {
            throw new IllegalArgumentException("bucket size k must be at least 1, got " + k);
        }
        this.self = self;
        this.k = k;
        this.clock = clock;
        this.liveById = new NodeIdMap<>(indexKey);
        this.cachedById = new NodeIdMap<>(~indexKey);
        buckets.add(new Bucket(clock.nowMillis()));
    }

    public NodeId self() {
        return self;
    }

    public int k() {
        return k;
    }

    /**
     * Records that {@code id} at {@code address} sent us something: a response to our query when
     * {@code responded}, otherwise a query. Adds it, refreshes it, or parks it in the replacement cache.
     */
    public Observation observe(NodeId id, InetSocketAddress address, boolean responded) {
        if (id.equals(self)) {
            return new Observation.Rejected("own id");
        }
        long now = clock.nowMillis();
        while (true) {
            int index = bucketIndex(id);
            Bucket bucket = buckets.get(index);
            Entry existing = liveById.get(id);
            if (existing != null && !existing.address.equals(address) && liveness(existing, now) == Liveness.BAD) {
                // The old address stopped answering: a node that moved may take its slot again.
                removeLive(bucket, existing);
                existing = null;
            }
            if (existing != null) {
                if (!existing.address.equals(address)) {
                    // An id moving address is how a spoofer would hijack a slot (BEP 42's concern): keep the old.
                    return new Observation.Rejected("id " + id + " known at " + existing.address + ", not " + address);
                }
                touch(existing, responded, now);
                bucket.live.remove(existing);
                bucket.live.add(existing);
                if (responded) {
                    bucket.lastChanged = now;
                }
                return new Observation.Refreshed();
            }
            if (bucket.live.size() < k) {
                Entry e = takeReplacement(bucket, id, address, now);
                touch(e, responded, now);
                addLive(bucket, e, false);
                bucket.lastChanged = now;
                return new Observation.Added(Optional.empty());
            }
            Entry bad = firstWith(bucket, Liveness.BAD, now);
            if (bad != null) {
                removeLive(bucket, bad);
                Entry e = takeReplacement(bucket, id, address, now);
                touch(e, responded, now);
                addLive(bucket, e, false);
                bucket.lastChanged = now;
                return new Observation.Added(Optional.of(bad.id));
            }
            if (index == buckets.size() - 1 && buckets.size() < NodeId.BITS) {
                split();
                continue;
            }
            Entry cached = cachedById.get(id);
            if (cached == null) {
                cached = new Entry(id, address, now);
                if (bucket.replacements.size() >= k) {
                    removeReplacement(bucket, bucket.replacements.getFirst());
                }
            } else {
                removeReplacement(bucket, cached);
            }
            touch(cached, responded, now);
            addReplacement(bucket, cached);
            Entry questionable = firstWith(bucket, Liveness.QUESTIONABLE, now);
            return new Observation.Cached(Optional.ofNullable(questionable).map(q -> snapshot(q, now)));
        }
    }

    /**
     * Records that a query to {@code id} timed out. After {@link #BAD_AFTER_FAILURES} in a row it is bad, and
     * is replaced by the newest replacement-cache entry when there is one.
     */
    public void failed(NodeId id) {
        long now = clock.nowMillis();
        Bucket bucket = buckets.get(bucketIndex(id));
        Entry cached = cachedById.get(id);
        if (cached != null) {
            removeReplacement(bucket, cached);
        }
        Entry e = liveById.get(id);
        if (e == null) {
            return;
        }
        e.failures++;
        bucket.live.refresh(e);
        if (liveness(e, now) == Liveness.BAD && !bucket.replacements.isEmpty()) {
            removeLive(bucket, e);
            Entry promoted = newestReplacement(bucket);
            removeReplacement(bucket, promoted);
            addLive(bucket, promoted, true);
            bucket.lastChanged = now;
        }
    }

    /** Drops {@code id} from the table and its replacement caches (e.g. it failed id verification). */
    public boolean remove(NodeId id) {
        Bucket bucket = buckets.get(bucketIndex(id));
        Entry e = liveById.get(id);
        Entry cached = cachedById.get(id);
        if (cached != null) {
            removeReplacement(bucket, cached);
        }
        if (e == null) {
            return cached != null;
        }
        removeLive(bucket, e);
        if (!bucket.replacements.isEmpty()) {
            Entry promoted = newestReplacement(bucket);
            removeReplacement(bucket, promoted);
            addLive(bucket, promoted, true);
        }
        return true;
    }

    /** Sets what kind of peer {@code id} is (restfs or routing-only); no effect when it is not in the table. */
    public void setKind(NodeId id, PeerKind kind) {
        Entry e = liveById.get(id);
        if (e == null) {
            e = cachedById.get(id);
        }
        if (e != null) {
            e.kind = kind;
        }
    }

    public Optional<Contact> get(NodeId id) {
        Entry e = liveById.get(id);
        return e == null ? Optional.empty() : Optional.of(snapshot(e, clock.nowMillis()));
    }

    /**
     * Up to {@code n} table members that are not bad, closest to {@code target} first. Walks the buckets outward
     * from the target's and orders one group at a time, since bucket position alone orders most of the table: with
     * {@code c} the bits the target shares with our id, members of bucket {@code c} share more than {@code c} bits
     * with the target, members of every deeper bucket exactly {@code c}, and members of a shallower bucket
     * {@code i} exactly {@code i}.
     */
    public List<Contact> closest(NodeId target, int n) {
        long now = clock.nowMillis();
        int found = selectClosest(target, n, now);
        List<Contact> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            out.add(snapshot(picked[i], now));
        }
        return out;
    }

    /**
     * The same members as {@link #closest}, in the same order, as the contacts a find_node answer carries: for
     * answering queries, which is most of what a node does, without a snapshot of each entry.
     */
    public List<NodeInfo> closestNodes(NodeId target, int n) {
        int found = selectClosest(target, n, clock.nowMillis());
        return List.of(Arrays.copyOf(pickedInfos, found));
    }

    // Scratch space of selectClosest, reused by every call (the table is confined to the logic thread).
    private Entry[] picked = new Entry[0];
    private NodeInfo[] pickedInfos = new NodeInfo[0];
    private Entry[] group = new Entry[0];
    private long[] groupKeys = new long[0];
    private NodeInfo[] groupInfos = new NodeInfo[0];

    /** Puts the {@code n} closest members that are not bad into {@code picked[0..result)}, closest first. */
    private int selectClosest(NodeId target, int n, long now) {
        if (n <= 0) {
            return 0;
        }
        if (picked.length < n) {
            picked = new Entry[n];
            pickedInfos = new NodeInfo[n];
        }
        long targetPrefix = target.prefix();
        int last = buckets.size() - 1;
        int c = Math.min(self.commonPrefixLength(target), last);
        int found = takeClosest(buckets.get(c), target, targetPrefix, n, 0, now);
        if (found < n && c < last) {
            // Every deeper bucket's members share exactly c bits with the target: one group.
            int size = 0;
            for (int i = c + 1; i <= last; i++) {
                size = collectNotBad(buckets.get(i), targetPrefix, size, now);
            }
            found = takeClosest(target, size, n, found);
        }
        for (int i = c - 1; i >= 0 && found < n; i--) {
            found = takeClosest(buckets.get(i), target, targetPrefix, n, found, now);
        }
        return found;
    }

    private int takeClosest(Bucket b, NodeId target, long targetPrefix, int n, int found, long now) {
        return takeClosest(target, collectNotBad(b, targetPrefix, 0, now), n, found);
    }

    /** Appends the members of {@code b} that are not bad to the group (from {@code size}), with their sort keys. */
    private int collectNotBad(Bucket b, long targetPrefix, int size, long now) {
        Members live = b.live;
        int need = size + live.size();
        if (group.length < need) {
            group = Arrays.copyOf(group, Math.max(need, group.length * 2));
            groupKeys = Arrays.copyOf(groupKeys, group.length);
            groupInfos = Arrays.copyOf(groupInfos, group.length);
        }
        for (int i = 0; i < live.size(); i++) {
            if (!live.bad(i)) {
                group[size] = live.get(i);
                groupKeys[size] = live.prefixes[i] ^ targetPrefix;
                groupInfos[size] = live.infos[i];
                size++;
            }
        }
        return size;
    }

    /**
     * Appends the closest of the group's {@code size} entries to {@code picked} until it holds {@code n}: an insertion
     * into the sorted tail, bounded by the room left, by the XOR of the ids' first 64 bits (unsigned) and, in the
     * rare tie, by the whole distance.
     */
    private int takeClosest(NodeId target, int size, int n, int found) {
        int room = n - found;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Entry e = group[i];
            long key = groupKeys[i];
            NodeInfo info = groupInfos[i];
            int at = kept;
            while (at > 0 && closer(target, key, e, groupKeys[at - 1], group[at - 1])) {
                at--;
            }
            if (at >= room) {
                continue;
            }
            // Shift the kept tail right (dropping whatever falls past the room) and insert at `at`.
            int end = Math.min(kept, room - 1);
            for (int j = end; j > at; j--) {
                group[j] = group[j - 1];
                groupKeys[j] = groupKeys[j - 1];
                groupInfos[j] = groupInfos[j - 1];
            }
            group[at] = e;
            groupKeys[at] = key;
            groupInfos[at] = info;
            if (kept < room) {
                kept++;
            }
        }
        System.arraycopy(group, 0, picked, found, kept);
        System.arraycopy(groupInfos, 0, pickedInfos, found, kept);
        Arrays.fill(group, 0, size, null);
        Arrays.fill(groupInfos, 0, size, null);
        return found + kept;
    }

    private static boolean closer(NodeId target, long keyA, Entry a, long keyB, Entry b) {
        int byPrefix = Long.compareUnsigned(keyA, keyB);
        return byPrefix < 0 || (byPrefix == 0 && target.compareDistance(a.id, b.id) < 0);
    }

    /** Every member, bucket by bucket, least recently seen first within a bucket. */
    public List<Contact> contacts() {
        long now = clock.nowMillis();
        List<Contact> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (int i = 0; i < b.live.size(); i++) {
                out.add(snapshot(b.live.get(i), now));
            }
        }
        return out;
    }

    /** Members of bucket {@code index}, least recently seen first, and its replacement cache, newest last. */
    public List<Contact> bucket(int index) {
        long now = clock.nowMillis();
        Members live = buckets.get(index).live;
        List<Contact> out = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            out.add(snapshot(live.get(i), now));
        }
        return List.copyOf(out);
    }

    public List<Contact> replacements(int index) {
        long now = clock.nowMillis();
        return buckets.get(index).replacements.stream().map(e -> snapshot(e, now)).toList();
    }

    public int size() {
        return liveById.size();
    }

    public int bucketCount() {
        return buckets.size();
    }

    /** Index of the bucket that holds (or would hold) {@code id}. */
    public int bucketIndex(NodeId id) {
        return Math.min(self.commonPrefixLength(id), buckets.size() - 1);
    }

    /**
     * Members that are questionable, bucket by bucket from the farthest, least recently seen first within a bucket:
     * the ones worth a ping to keep the table fresh. (Sorting them all by last seen instead made no difference in a
     * simulated 2,000-node network with sessions of median 1 hour: 6.9% of contacts handed out departed, against 6.8%.)
     */
    public List<Contact> questionable() {
        long now = clock.nowMillis();
        List<Contact> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (int i = 0; i < b.live.size(); i++) {
                if (b.live.liveness(i, now) == Liveness.QUESTIONABLE) {
                    out.add(snapshot(b.live.get(i), now));
                }
            }
        }
        return out;
    }

    /**
     * Random targets, one per bucket that has not changed in {@link #REFRESH_AFTER_MILLIS}; a lookup of each
     * refreshes its bucket. Issuing a target counts as a change, so a bucket is not refreshed twice at once.
     */
    public List<NodeId> refreshTargets(RandomGenerator random) {
        long now = clock.nowMillis();
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (now - b.lastChanged >= REFRESH_AFTER_MILLIS) {
                targets.add(randomIdInBucket(i, random));
                b.lastChanged = now;
            }
        }
        return targets;
    }

    /** Earliest clock time at which some bucket falls due for refresh. */
    public long nextRefreshDue() {
        long due = Long.MAX_VALUE;
        for (Bucket b : buckets) {
            due = Math.min(due, b.lastChanged + REFRESH_AFTER_MILLIS);
        }
        return due;
    }

    /** A random id that falls in bucket {@code index}. */
    public NodeId randomIdInBucket(int index, RandomGenerator random) {
        byte[] out = new byte[NodeId.LENGTH];
        random.nextBytes(out);
        byte[] own = self.toBytes();
        boolean last = index == buckets.size() - 1;
        // Keep the first `index` bits of our id, then (for a non-last bucket) the flipped next bit.
        int fixedBits = last ? index : index + 1;
        for (int bit = 0; bit < fixedBits && bit < NodeId.BITS; bit++) {
            int mask = 0x80 >>> (bit & 7);
            boolean value = (own[bit >>> 3] & mask) != 0;
            if (!last && bit == index) {
                value = !value;
            }
            if (value) {
                out[bit >>> 3] |= (byte) mask;
            } else {
                out[bit >>> 3] &= (byte) ~mask;
            }
        }
        return NodeId.of(out);
    }

    public Liveness liveness(NodeId id) {
        Entry e = liveById.get(id);
        return e == null ? Liveness.BAD : liveness(e, clock.nowMillis());
    }

    private void split() {
        int depth = buckets.size() - 1;
        Bucket old = buckets.get(depth);
        Bucket deeper = new Bucket(old.lastChanged);
        Members staying = new Members(k);
        for (int i = 0; i < old.live.size(); i++) {
            Entry e = old.live.get(i);
            if (self.commonPrefixLength(e.id) > depth) {
                deeper.live.add(e);
            } else {
                staying.add(e);
            }
        }
        old.live = staying;
        for (Iterator<Entry> it = old.replacements.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (self.commonPrefixLength(e.id) > depth) {
                it.remove();
                deeper.replacements.addLast(e);
            }
        }
        buckets.add(deeper);
        // Refill whichever side has room from its own replacements.
        for (Bucket b : List.of(old, deeper)) {
            while (b.live.size() < k && !b.replacements.isEmpty()) {
                Entry promoted = b.replacements.getLast();
                removeReplacement(b, promoted);
                addLive(b, promoted, false);
            }
        }
    }

    private Entry takeReplacement(Bucket bucket, NodeId id, InetSocketAddress address, long now) {
        Entry cached = cachedById.get(id);
        if (cached != null) {
            removeReplacement(bucket, cached);
            if (cached.address.equals(address)) {
                return cached;
            }
        }
        return new Entry(id, address, now);
    }

    // Every change to a bucket's lists goes through these four, which keep the id indexes in step.

    private void addLive(Bucket bucket, Entry e, boolean first) {
        if (first) {
            bucket.live.addFirst(e);
        } else {
            bucket.live.add(e);
        }
        liveById.put(e.id, e);
    }

    private void removeLive(Bucket bucket, Entry e) {
        bucket.live.remove(e);
        liveById.remove(e.id);
    }

    private void addReplacement(Bucket bucket, Entry e) {
        bucket.replacements.addLast(e);
        cachedById.put(e.id, e);
    }

    private void removeReplacement(Bucket bucket, Entry e) {
        bucket.replacements.remove(e);
        cachedById.remove(e.id);
    }

    private Entry newestReplacement(Bucket bucket) {
        // Prefer the newest one that has answered us; otherwise simply the newest.
        for (Iterator<Entry> it = bucket.replacements.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.lastResponse != Contact.NEVER) {
                return e;
            }
        }
        return bucket.replacements.getLast();
    }

    private Entry firstWith(Bucket bucket, Liveness state, long now) {
        Members live = bucket.live;
        for (int i = 0; i < live.size(); i++) {
            if (live.liveness(i, now) == state) {
                return live.get(i);
            }
        }
        return null;
    }

    private static void touch(Entry e, boolean responded, long now) {
        e.lastSeen = now;
        if (responded) {
            e.lastResponse = now;
            e.failures = 0;
        }
    }

    private static Liveness liveness(Entry e, long now) {
        return liveness(stateOf(e), e.lastSeen, now);
    }

    private static Liveness liveness(byte state, long lastSeen, long now) {
        if (state == BAD) {
            return Liveness.BAD;
        }
        return state == MAY_BE_GOOD && now - lastSeen < QUESTIONABLE_AFTER_MILLIS ? Liveness.GOOD : Liveness.QUESTIONABLE;
    }

    private static Contact snapshot(Entry e, long now) {
        return new Contact(e.id, e.address, liveness(e, now), e.lastSeen, e.lastResponse, e.failures, e.kind);
    }

    /** Sort order by XOR distance to {@code target}, closest first. */
    public static Comparator<NodeId> byDistanceTo(NodeId target) {
        return target::compareDistance;
    }
}
