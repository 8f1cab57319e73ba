package io.restfs.dht.items;

import io.restfs.dht.env.Clock;
import io.restfs.dht.id.NodeId;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The BEP 44 items this node holds for others: sequence numbers only move forward, compare-and-swap is
 * honoured, items expire two hours after their last put, and quotas bound how many items the node holds in
 * all and for any one source address. Signatures are checked by the caller before a put reaches here.
 * Single-threaded (the node's logic thread).
 */
public final class ItemStore {
    /** BEP 44: storing nodes may drop items not refreshed for 2 hours; owners republish every hour. */
    public static final long EXPIRE_MILLIS = 2 * 60 * 60_000L;
    /** BEP 44 error: "the CAS hash mismatched, re-read value and try again". */
    public static final int ERROR_CAS_MISMATCH = 301;
    /** BEP 44 error: "sequence number less than current". */
    public static final int ERROR_SEQ_TOO_LOW = 302;
    /** BEP 44 error: "message (v field) too big". */
    public static final int ERROR_VALUE_TOO_BIG = 205;
    /** BEP 44 error: "salt (salt field) too big". */
    public static final int ERROR_SALT_TOO_BIG = 207;
    /** KRPC's generic server error (BEP 5 code 202), used when a quota is full. */
    public static final int ERROR_QUOTA = 202;

    private final Clock clock;
    private final int maxItems;
    private final int maxPerSource;
    /** Sorted by target so that listing (for persistence, tests) never depends on hash order. */
    private final TreeMap<NodeId, StoredItem> items = new TreeMap<>();
    private final Map<InetAddress, Integer> perSource = new HashMap<>();

    public ItemStore(Clock clock, int maxItems, int maxPerSource) {
        if (maxItems < 1 || maxPerSource < 1) {
            throw new IllegalArgumentException("quotas must be positive: " + maxItems + " total, " + maxPerSource + " per source");
        }
        this.clock = clock;
        this.maxItems = maxItems;
        this.maxPerSource = maxPerSource;
    }

    /**
     * Stores {@code item} put by {@code source}. {@code cas}, for mutable items, is the sequence number the
     * writer expects to replace.
     */
    public PutOutcome put(Item item, InetAddress source, OptionalLong cas) {
        return put(item, source, cas, false);
    }

    /**
     * As {@link #put(Item, InetAddress, OptionalLong)}; a {@code trusted} source (one the caller authenticated by
     * other means) skips the per-source quota check, though its items still count against the source, and the
     * store's total bound still applies.
     */
    public PutOutcome put(Item item, InetAddress source, OptionalLong cas, boolean trusted) {
        if (item.value().length > Item.MAX_VALUE_BYTES) {
            return new PutOutcome.Refused(ERROR_VALUE_TOO_BIG, "v is " + item.value().length
                    + " bytes, limit " + Item.MAX_VALUE_BYTES);
        }
        NodeId target = item.target();
        long now = clock.nowMillis();
        StoredItem old = items.get(target);
        if (old != null && isExpired(old, now)) {
            remove(target);
            old = null;
        }
        if (item instanceof Item.Mutable m) {
            if (m.salt().length > Item.MAX_SALT_BYTES) {
                return new PutOutcome.Refused(ERROR_SALT_TOO_BIG, "salt is " + m.salt().length
                        + " bytes, limit " + Item.MAX_SALT_BYTES);
            }
            if (old != null && old.item() instanceof Item.Mutable current) {
                if (cas.isPresent() && cas.getAsLong() != current.seq()) {
                    return new PutOutcome.Refused(ERROR_CAS_MISMATCH, "cas " + cas.getAsLong()
                            + " does not match stored seq " + current.seq());
                }
                if (m.seq() < current.seq()) {
                    return new PutOutcome.Refused(ERROR_SEQ_TOO_LOW, "seq " + m.seq()
                            + " is less than stored seq " + current.seq());
                }
                if (m.seq() == current.seq() && !Arrays.equals(m.value(), current.value())) {
                    return new PutOutcome.Refused(ERROR_SEQ_TOO_LOW, "seq " + m.seq()
                            + " already holds a different value");
                }
            }
        }
        if (old != null) {
            boolean same = old.item().equals(item);
            // A renewal keeps the original source's quota slot; a newer version is charged to the same slot.
            items.put(target, new StoredItem(item, now, old.source()));
            return new PutOutcome.Accepted(same);
        }
        if (items.size() >= maxItems) {
            return new PutOutcome.Refused(ERROR_QUOTA, "item store full (" + maxItems + " items)");
        }
        int count = perSource.getOrDefault(source, 0);
        if (count >= maxPerSource && !trusted) {
            return new PutOutcome.Refused(ERROR_QUOTA, "source " + source.getHostAddress() + " already holds "
                    + count + " items, limit " + maxPerSource);
        }
        items.put(target, new StoredItem(item, now, source));
        perSource.put(source, count + 1);
        return new PutOutcome.Accepted(false);
    }

    /** The live item stored under {@code target}. */
    public Optional<Item> get(NodeId target) {
        StoredItem s = items.get(target);
        if (s == null || isExpired(s, clock.nowMillis())) {
            return Optional.empty();
        }
        return Optional.of(s.item());
    }

    /** Drops every item not put again within {@link #EXPIRE_MILLIS}; returns the targets dropped. */
    public List<NodeId> expire() {
        long now = clock.nowMillis();
        List<NodeId> dropped = new ArrayList<>();
        for (StoredItem s : items.values()) {
            if (isExpired(s, now)) {
                dropped.add(s.item().target());
            }
        }
        dropped.forEach(this::remove);
        return dropped;
    }

    /** Puts back an item loaded from disk, keeping its original time and source; quotas are not re-checked. */
    public void restore(StoredItem stored) {
        NodeId target = stored.item().target();
        if (items.containsKey(target)) {
            remove(target);
        }
        items.put(target, stored);
        perSource.merge(stored.source(), 1, Integer::sum);
    }

    /** Every item held, in target order. */
    public List<StoredItem> all() {
        return List.copyOf(items.values());
    }

    public Optional<StoredItem> stored(NodeId target) {
        return Optional.ofNullable(items.get(target));
    }

    public int size() {
        return items.size();
    }

    private void remove(NodeId target) {
        StoredItem s = items.remove(target);
        if (s != null) {
            perSource.computeIfPresent(s.source(), (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    private static boolean isExpired(StoredItem s, long now) {
        return now - s.storedAtMillis() >= EXPIRE_MILLIS;
    }
}
