package io.restfs.dht.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LruSlotsTest {
    /** A key of three longs, drawn from a small space so that keys come back after being forgotten. */
    private record Key(long k0, long k1, long k2) {
    }

    /**
     * 200,000 random finds, touches, adds and removals against the access-ordered LinkedHashMap the table stands in
     * for: after every step both hold the same keys, and every key's slot still holds the value last written for it.
     */
    @Test
    void behavesAsAnAccessOrderedLinkedHashMapWithEviction() {
        for (int max : new int[] {1, 7, 64, 300}) {
            SplittableRandom r = new SplittableRandom(max);
            LruSlots table = new LruSlots(max, r.nextLong());
            long[] values = new long[0];
            LinkedHashMap<Key, Long> model = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
                    return size() > max;
                }
            };
            for (int step = 0; step < 200_000 / 4; step++) {
                // Keys share words with each other, so equal k0 or k1 alone must not match.
                Key k = new Key(r.nextInt(3), r.nextInt(max * 2 + 3), r.nextInt(2) == 0 ? 0 : r.nextLong(4));
                int slot = table.find(k.k0, k.k1, k.k2);
                assertEquals(model.containsKey(k), slot != LruSlots.NONE, "step " + step);
                if (slot != LruSlots.NONE && r.nextInt(5) == 0) {
                    table.remove(slot);
                    model.remove(k);
                } else if (slot != LruSlots.NONE) {
                    table.touch(slot);
                    assertEquals(model.get(k).longValue(), values[slot], "value of " + k);
                } else {
                    slot = table.add(k.k0, k.k1, k.k2);
                    if (slot >= values.length) {
                        values = java.util.Arrays.copyOf(values, table.capacity());
                    }
                    assertTrue(slot < table.capacity());
                    long v = r.nextLong();
                    values[slot] = v;
                    model.put(k, v);
                }
                assertEquals(model.size(), table.size());
            }
            List<Key> kept = new ArrayList<>(model.keySet());
            for (Key k : kept) {
                assertTrue(table.find(k.k0, k.k1, k.k2) != LruSlots.NONE, k + " held by the model");
            }
            assertTrue(table.capacity() <= max);
        }
    }

    @Test
    void theEldestIsForgottenAndItsSlotReused() {
        LruSlots t = new LruSlots(2, 7);
        int a = t.add(1, 0, 0);
        int b = t.add(2, 0, 0);
        t.touch(a);
        int c = t.add(3, 0, 0);
        assertEquals(b, c, "b was least recently used, so c takes its slot");
        assertEquals(LruSlots.NONE, t.find(2, 0, 0));
        assertEquals(a, t.find(1, 0, 0));
    }

    @Test
    void aTableOfNoKeysIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LruSlots(0, 1));
    }
}
