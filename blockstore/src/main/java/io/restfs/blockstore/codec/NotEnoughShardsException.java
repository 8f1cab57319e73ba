package io.restfs.blockstore.codec;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Fewer than k good shards of a segment were given. Says which indices were good, which were missing
 * altogether and which were given but rejected (with the reason), so the reader knows what to fetch.
 */
public final class NotEnoughShardsException extends SegmentDecodeException {
    private static final long serialVersionUID = 1L;

    private final int needed;
    private final List<Integer> goodIndices;
    private final List<Integer> missingIndices;
    private final SortedMap<Integer, String> rejected;
    private final List<String> unplaceable;

    NotEnoughShardsException(SegmentId segmentId, int needed, List<Integer> goodIndices,
            List<Integer> missingIndices, Map<Integer, String> rejected, List<String> unplaceable) {
        super(segmentId, message(needed, goodIndices, missingIndices, rejected, unplaceable), null);
        this.needed = needed;
        this.goodIndices = List.copyOf(goodIndices);
        this.missingIndices = List.copyOf(missingIndices);
        this.rejected = new TreeMap<>(rejected);
        this.unplaceable = List.copyOf(unplaceable);
    }

    private static String message(int needed, List<Integer> good, List<Integer> missing,
            Map<Integer, String> rejected, List<String> unplaceable) {
        StringBuilder s = new StringBuilder("need ").append(needed).append(" good shards, have ")
                .append(good.size()).append(" ").append(good)
                .append("; missing indices ").append(missing);
        if (!rejected.isEmpty()) {
            s.append("; rejected ").append(new TreeMap<>(rejected));
        }
        if (!unplaceable.isEmpty()) {
            s.append("; unusable shards ").append(unplaceable);
        }
        return s.toString();
    }

    /** k: how many good shards decoding needs; -1 when no shard gave a readable header. */
    public int needed() {
        return needed;
    }

    public List<Integer> goodIndices() {
        return goodIndices;
    }

    /**
     * Every index without a good shard: not given, rejected (see {@link #rejected()} for why), or given
     * with a header too damaged to say which index it was (see {@link #unplaceable()}). Empty only when
     * no shard could be read at all, since then even k+m is unknown.
     */
    public List<Integer> missingIndices() {
        return missingIndices;
    }

    /** Indices given but refused, each with the reason (hash mismatch, damaged header, ...). */
    public SortedMap<Integer, String> rejected() {
        return rejected;
    }

    /** Shards whose index could not be trusted (unreadable header, another segment), each with the reason. */
    public List<String> unplaceable() {
        return unplaceable;
    }
}
