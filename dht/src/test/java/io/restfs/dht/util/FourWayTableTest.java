package io.restfs.dht.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FourWayTableTest {
    /**
     * 50,000 random finds, value writes and adds per capacity against a model of what the table promises: the
     * keys in recency order (an access-ordered LinkedHashMap that forgets nothing by itself), sets that double
     * whenever a quarter of the ways are taken, and an add to a set holding four keys forgetting the least recently
     * used of those four. After every step both hold the same keys, with the same values.
     */
    @Test
    void forgetsTheLeastRecentlyUsedKeyOfAFullSet() {
        for (int capacity : new int[] {1, 4, 7, 64, 300, 4096}) {
            SplittableRandom r = new SplittableRandom(capacity);
            FourWayTable table = new FourWayTable(capacity, r.nextLong());
            int maxSets = Integer.highestOneBit(Math.max(1, capacity / 4));
            int sets = 1;
            LinkedHashMap<Long, Long> model = new LinkedHashMap<>(16, 0.75f, true);
            int forgottenEarly = 0;
            for (int step = 0; step < 50_000; step++) {
                // Keys share words with each other, so equal k0 or k1 alone must not match.
                long fingerprint = table.fingerprint(r.nextInt(3), r.nextInt(capacity * 2 + 3),
                        r.nextInt(2) == 0 ? 0 : r.nextLong(4));
                int at = table.find(fingerprint);
                Long expected = model.get(fingerprint);
                assertEquals(expected != null, at != FourWayTable.NONE, "step " + step);
                if (expected != null) {
                    assertEquals(expected.longValue(), table.value(at), "value at step " + step);
                    if (r.nextBoolean()) {
                        long v = r.nextLong();
                        table.setValue(at, v);
                        model.put(fingerprint, v);
                    }
                    continue;
                }
                if (model.size() >= sets && sets < maxSets) {
                    sets *= 2;
                }
                int set = FourWayTable.setOf(fingerprint, sets);
                long eldestOfSet = 0;
                int inSet = 0;
                for (long f : model.keySet()) {
                    if (FourWayTable.setOf(f, sets) == set && inSet++ == 0) {
                        eldestOfSet = f;
                    }
                }
                if (inSet == 4) {
                    model.remove(eldestOfSet);
                    forgottenEarly += model.size() < sets * 4 - 1 ? 1 : 0;
                }
                long v = r.nextLong();
                table.add(fingerprint, v);
                model.put(fingerprint, v);
                assertEquals(sets, table.sets(), "sets at step " + step);
                assertEquals(model.size(), table.size(), "keys at step " + step);
            }
            for (Map.Entry<Long, Long> e : model.entrySet()) {
                assertEquals(e.getValue().longValue(), table.value(table.find(e.getKey())));
            }
            assertTrue(table.size() <= Math.max(4, capacity), table + " over its capacity " + capacity);
            assertTrue(capacity < 64 || forgottenEarly > 0, "the model exercised early eviction: " + table);
        }
    }

    @Test
    void aKeyFoundIsTheLastOfItsSetToGo() {
        FourWayTable t = new FourWayTable(4, 7);
        long[] f = new long[5];
        for (int i = 0; i < 5; i++) {
            f[i] = t.fingerprint(0, i, 0);
        }
        for (int i = 0; i < 4; i++) {
            t.add(f[i], i);
        }
        assertEquals(0, t.value(t.find(f[0])), "the first key is still there, and now the most recent");
        t.add(f[4], 4);
        assertEquals(FourWayTable.NONE, t.find(f[1]), "the second was the least recently used");
        for (int i : new int[] {0, 2, 3, 4}) {
            assertEquals(i, t.value(t.find(f[i])));
        }
        assertEquals(4, t.size());
    }

    /** IPv4 addresses differ in one word of the key, ports in another: such keys never share a fingerprint. */
    @Test
    void keysDifferingInOneWordHaveDistinctFingerprints() {
        FourWayTable t = new FourWayTable(16, 0x5EED);
        Set<Long> seen = new HashSet<>();
        for (long address = 0; address < 100_000; address++) {
            long f = t.fingerprint(0, 0xFFFF_0A00_0000L | address, 6881);
            assertNotEquals(0, f, "0 marks an empty way");
            assertTrue(seen.add(f), "address " + address);
        }
        for (long port = 0; port < 65_536; port++) {
            assertTrue(seen.add(t.fingerprint(0, 0xFFFF_C0A8_0001L, port)), "port " + port);
        }
        assertNotEquals(new FourWayTable(16, 1).fingerprint(0, 1, 2), new FourWayTable(16, 2).fingerprint(0, 1, 2),
                "the secret changes every fingerprint");
    }

    @Test
    void aTableOfNoKeysIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FourWayTable(0, 1));
    }
}
