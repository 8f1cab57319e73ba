package io.restfs.sim;

import io.restfs.dht.id.NodeId;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The simulator's full knowledge of who is online: live node ids kept sorted (by their top 64 bits, in
 * primitive arrays), so the true k closest live nodes to any key come out of a short range scan. This is
 * the oracle lookups are judged against; the DHT itself never sees it.
 */
public final class Membership {
    private long[] keys = new long[1024];
    private int[] slots = new int[1024];
    private int size;
    private NodeId[] idOfSlot = new NodeId[1024];
    private long[] joinedAt = new long[1024];

    /** Registers slot {@code slot} with id {@code id}, online since {@code nowMillis}. */
    public void add(int slot, NodeId id, long nowMillis) {
        if (slot >= idOfSlot.length) {
            int cap = Math.max(idOfSlot.length * 2, slot + 1);
            idOfSlot = Arrays.copyOf(idOfSlot, cap);
            joinedAt = Arrays.copyOf(joinedAt, cap);
        }
        if (idOfSlot[slot] != null && joinedAt[slot] >= 0) {
            throw new IllegalStateException("slot " + slot + " is already live");
        }
        idOfSlot[slot] = id;
        joinedAt[slot] = nowMillis;
        long key = id.prefix();
        int pos = lowerBound(key);
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            slots = Arrays.copyOf(slots, size * 2);
        }
        System.arraycopy(keys, pos, keys, pos + 1, size - pos);
        System.arraycopy(slots, pos, slots, pos + 1, size - pos);
        keys[pos] = key;
        slots[pos] = slot;
        size++;
    }

    /** Removes slot {@code slot} (it crashed or left). */
    public void remove(int slot) {
        NodeId id = idOfSlot[slot];
        if (id == null || joinedAt[slot] < 0) {
            throw new IllegalStateException("slot " + slot + " is not live");
        }
        long key = id.prefix();
        int pos = lowerBound(key);
        while (pos < size && slots[pos] != slot) {
            pos++;
        }
        if (pos == size) {
            throw new IllegalStateException("slot " + slot + " missing from the sorted index");
        }
        System.arraycopy(keys, pos + 1, keys, pos, size - pos - 1);
        System.arraycopy(slots, pos + 1, slots, pos, size - pos - 1);
        size--;
        joinedAt[slot] = -1;
    }

    public int size() {
        return size;
    }

    public boolean isLive(int slot) {
        return slot < idOfSlot.length && idOfSlot[slot] != null && joinedAt[slot] >= 0;
    }

    public NodeId idOf(int slot) {
        return idOfSlot[slot];
    }

    public long joinedAt(int slot) {
        return joinedAt[slot];
    }

    /** A uniformly random live slot (the sorted order is by id, which is itself random). */
    public int randomLive(RandomGenerator random) {
        if (size == 0) {
            throw new IllegalStateException("no live node");
        }
        return slots[random.nextInt(size)];
    }

    /** The live slot at rank {@code i} in id order (0 to size-1). */
    public int liveAt(int i) {
        return slots[i];
    }

    /**
     * The {@code k} live nodes closest to {@code target} by XOR among those online since
     * {@code joinedBy} or earlier, closest first (fewer when fewer qualify).
     */
    public int[] closest(NodeId target, int k, long joinedBy) {
        return closest(target, k, joinedBy, -1);
    }

    /** As {@link #closest(NodeId, int, long)}, leaving out slot {@code exclude} (e.g. the node that asks). */
    public int[] closest(NodeId target, int k, long joinedBy, int exclude) {
        long t = target.prefix();
        int pos = lowerBound(t);
        // Nodes sharing at least L leading bits with the target form one contiguous range of the sorted
        // keys, and each is closer than every node outside it; widen L's range until it holds k nodes.
        int level = 64;
        if (pos < size) {
            level = Math.min(level, Long.numberOfLeadingZeros(keys[pos] ^ t));
        }
        if (pos > 0) {
            level = Math.min(level, Long.numberOfLeadingZeros(keys[pos - 1] ^ t));
        }
        int lo;
        int hi;
        while (true) {
            if (level <= 0) {
                lo = 0;
                hi = size;
            } else {
                long mask = level >= 64 ? -1L : ~(-1L >>> level);
                long low = t & mask;
                long high = low | ~mask;
                lo = lowerBound(low);
                hi = upperBound(high);
            }
            int eligible = 0;
            for (int i = lo; i < hi && eligible < k; i++) {
                if (joinedAt[slots[i]] <= joinedBy && slots[i] != exclude) {
                    eligible++;
                }
            }
            if (eligible >= k || level <= 0) {
                break;
            }
            level--;
        }
        int[] candidates = new int[hi - lo];
        int n = 0;
        for (int i = lo; i < hi; i++) {
            if (joinedAt[slots[i]] <= joinedBy && slots[i] != exclude) {
                candidates[n++] = i;
            }
        }
        // sort candidate positions by XOR distance of their keys, full ids breaking (astronomically rare) ties
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = candidates[i];
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compareUnsigned(keys[a] ^ t, keys[b] ^ t);
            return c != 0 ? c : target.compareDistance(idOfSlot[slots[a]], idOfSlot[slots[b]]);
        });
        int m = Math.min(k, n);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = slots[order[i]];
        }
        return out;
    }

    private int lowerBound(long key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(keys[mid], key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int upperBound(long key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(keys[mid], key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
