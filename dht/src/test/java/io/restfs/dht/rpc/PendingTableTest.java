package io.restfs.dht.rpc;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The engine's table of pending calls against a plain hash map, under random adds and removals. */
class PendingTableTest {
    @Property(tries = 200)
    void behavesLikeAMapOfTransactionIds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int steps,
                                         @ForAll @IntRange(min = 4, max = 65536) int idRange) {
        SplittableRandom random = new SplittableRandom(seed);
        PendingTable<String> table = new PendingTable<>();
        Map<Integer, String> expected = new HashMap<>();
        List<Integer> present = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            int op = random.nextInt(3);
            if (op == 0 || present.isEmpty()) {
                int id = random.nextInt(idRange);
                if (expected.containsKey(id)) {
                    assertThrows(IllegalStateException.class, () -> table.put(id, "again"));
                } else {
                    table.put(id, "call " + step);
                    expected.put(id, "call " + step);
                    present.add(id);
                }
            } else if (op == 1) {
                int id = present.remove(random.nextInt(present.size()));
                assertEquals(true, table.remove(id));
                expected.remove(id);
                assertEquals(false, table.remove(id), "removed twice");
            } else {
                int id = random.nextBoolean() ? present.get(random.nextInt(present.size())) : random.nextInt(idRange);
                assertEquals(expected.get(id), table.get(id), "id " + id);
                assertEquals(expected.containsKey(id), table.containsKey(id));
            }
            assertEquals(expected.size(), table.size());
        }
        for (Map.Entry<Integer, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), table.get(e.getKey()));
        }
        assertEquals(expected.values().stream().sorted().toList(), table.values().stream().sorted().toList());
    }

    @Property(tries = 1)
    void refusesIdsBeyondSixteenBits() {
        PendingTable<String> table = new PendingTable<>();
        assertThrows(IllegalArgumentException.class, () -> table.put(65536, "x"));
        assertThrows(IllegalArgumentException.class, () -> table.put(-1, "x"));
    }
}
