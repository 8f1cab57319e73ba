package io.restfs.dht.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeIdMapTest {
    /**
     * 100,000 random puts, gets and removals against a HashMap, over ids of which many share their first 64 bits
     * (so the prefix alone must never decide a match) and which grow the table and empty it again.
     */
    @Test
    void behavesAsAHashMap() {
        SplittableRandom r = new SplittableRandom(11);
        List<NodeId> pool = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] b = new byte[NodeId.LENGTH];
            r.nextBytes(b);
            if (i % 3 == 0 && i > 0) {
                // same first 8 bytes as an earlier id, differing later
                System.arraycopy(pool.get(r.nextInt(pool.size())).toBytes(), 0, b, 0, 8);
            }
            pool.add(NodeId.of(b));
        }
        NodeIdMap<Integer> map = new NodeIdMap<>(r.nextLong());
        HashMap<NodeId, Integer> model = new HashMap<>();
        for (int step = 0; step < 100_000; step++) {
            // Phases that mostly add, then mostly remove, so the table grows and shrinks to empty.
            boolean adding = (step / 5_000) % 2 == 0;
            NodeId id = pool.get(r.nextInt(pool.size()));
            int op = r.nextInt(10);
            if (op < (adding ? 6 : 2)) {
                map.put(id, step);
                model.put(id, step);
            } else if (op < 8) {
                assertEquals(model.remove(id), map.remove(id), "remove at step " + step);
            } else {
                assertEquals(model.get(id), map.get(id), "get at step " + step);
            }
            assertEquals(model.size(), map.size());
        }
        for (NodeId id : pool) {
            assertEquals(model.get(id), map.get(id));
        }
    }

    @Test
    void aMissingIdIsNullAndNullValuesAreRefused() {
        NodeIdMap<String> map = new NodeIdMap<>(3);
        NodeId a = NodeId.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
        assertNull(map.get(a));
        assertNull(map.remove(a));
        assertThrows(IllegalArgumentException.class, () -> map.put(a, null));
    }
}
