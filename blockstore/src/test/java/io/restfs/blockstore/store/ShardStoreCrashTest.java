package io.restfs.blockstore.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restfs.blockstore.testing.KilledChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing child JVM with SIGKILL at random moments and checks what the store serves afterwards. */
class ShardStoreCrashTest {

    /** Kill rounds; each costs a JVM start (about a second) plus the random run time. */
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    /** The children's stderr, kept apart from the data directory, and kept if the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @Test
    void survivesSigkillDuringWrites() throws Exception {
        Random random = new Random(7);
        Set<ShardKey> mustExist = new HashSet<>();
        Set<ShardKey> mustBeGone = new HashSet<>();
        long totalPuts = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<String> lines = KilledChild.runAndKill(ShardStoreCrashChild.class,
                    List.of(dir.toString(), Long.toString(1000 + round)), logs, "child-" + round, 300 + random.nextInt(900));
            for (String line : lines) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "PUT" -> {
                        mustExist.add(ShardKey.fromHex(parts[1]));
                        mustBeGone.remove(ShardKey.fromHex(parts[1]));
                        totalPuts++;
                    }
                    // Dying mid-delete may leave the shard or not: promise nothing about it.
                    case "DELETING" -> mustExist.remove(ShardKey.fromHex(parts[1]));
                    case "DELETED" -> mustBeGone.add(ShardKey.fromHex(parts[1]));
                    default -> { }
                }
            }
            try (ShardStore store = ShardStore.open(dir, 1L << 30, new TestClock(Instant.now()))) {
                System.out.printf("round %d: child printed %d lines; reopen repaired %s%n",
                        round, lines.size(), store.recovery());
                Set<ShardKey> indexed = new HashSet<>();
                ShardKey after = null;
                List<ShardMeta> page;
                do {
                    page = store.list(after, 500);
                    for (ShardMeta m : page) {
                        indexed.add(m.key());
                        // Every served shard verifies (get checks the hash and would throw).
                        byte[] data = store.get(m.key());
                        assertEquals(m.size(), data.length);
                        after = m.key();
                    }
                } while (page.size() == 500);
                assertTrue(indexed.containsAll(mustExist), "acknowledged shards lost in round " + round);
                for (ShardKey gone : mustBeGone) {
                    assertTrue(!indexed.contains(gone), "deleted shard " + gone + " came back");
                }
                assertEquals(indexed, shardFiles(), "index and files disagree after round " + round);
                assertEquals(0, store.stats().corruptCount());
                assertEquals(indexed.size(), store.stats().shardCount());
                try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
                    assertEquals(0, tmp.count());
                }
                ShardKey any = indexed.stream().findFirst().orElseThrow();
                assertArrayEquals(store.get(any), store.get(any));
            }
        }
        assertTrue(totalPuts > ROUNDS, "the child wrote too little to prove anything: " + totalPuts);
    }

    private Set<ShardKey> shardFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(dir.resolve("shards"))) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> ShardKey.fromHex(p.getFileName().toString()))
                    .collect(Collectors.toSet());
        }
    }
}
