package io.restfs.blockstore.drqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restfs.blockstore.testing.KilledChild;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Kills an enqueuing child JVM with SIGKILL at random moments and checks the queue afterwards. */
class DrQueueCrashTest {

    /** Kill rounds; each costs a JVM start (about a second) plus the random run time. */
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    /** The children's stderr, kept apart from the data directory, and kept if the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @Test
    void keepsEveryEnqueuedEntryAndDropsEveryAcknowledgedOneAcrossSigkill() throws Exception {
        Random random = new Random(11);
        Map<Long, String> mustExist = new HashMap<>();
        Set<Long> mustBeGone = new HashSet<>();
        long lastId = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (String line : KilledChild.runAndKill(DrQueueCrashChild.class, List.of(dir.toString(), Integer.toString(round)),
                    logs, "child-" + round, 300 + random.nextInt(900))) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "ENQ" -> {
                        long id = Long.parseLong(parts[1]);
                        assertTrue(id > lastId, "ids must keep increasing across restarts");
                        lastId = id;
                        mustExist.put(id, parts[2]);
                    }
                    // Dying mid-ack may leave the entry or not: promise nothing about it.
                    case "ACKING" -> mustExist.remove(Long.parseLong(parts[1]));
                    case "ACKED" -> mustBeGone.add(Long.parseLong(parts[1]));
                    default -> { }
                }
            }
            try (DrQueue q = DrQueue.open(dir, RetryPolicy.DEFAULT, new TestClock(Instant.now()), new Random(1))) {
                Map<Long, String> present = new HashMap<>();
                long after = 0;
                List<DrEntry> page;
                do {
                    page = q.entries(after, 500);
                    for (DrEntry e : page) {
                        present.put(e.id(), new String(e.payload(), StandardCharsets.UTF_8));
                        after = e.id();
                    }
                } while (page.size() == 500);
                System.out.printf("round %d: %d entries must exist, %d acknowledged, %d present%n",
                        round, mustExist.size(), mustBeGone.size(), present.size());
                for (Map.Entry<Long, String> e : mustExist.entrySet()) {
                    assertEquals(e.getValue(), present.get(e.getKey()), "entry " + e.getKey() + " after round " + round
                            + "; present but not expected: " + unexpected(present, mustExist));
                }
                for (long gone : mustBeGone) {
                    assertFalse(present.containsKey(gone), "acknowledged entry " + gone + " came back");
                }
                assertEquals(present.size(), q.depth());
                assertEquals(present.size(), q.stats().depth());
            }
        }
        assertTrue(mustExist.size() > ROUNDS && !mustBeGone.isEmpty(),
                "the child did too little to prove anything: " + mustExist.size() + " / " + mustBeGone.size());
    }

    /** Ids the reopened queue holds that the child's log did not promise, for a failure message. */
    private static List<Long> unexpected(Map<Long, String> present, Map<Long, String> expected) {
        List<Long> ids = new ArrayList<>();
        for (Long id : present.keySet()) {
            if (!expected.containsKey(id)) {
                ids.add(id);
            }
        }
        ids.sort(null);
        return ids;
    }
}
