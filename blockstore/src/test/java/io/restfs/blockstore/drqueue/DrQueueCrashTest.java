package io.restfs.blockstore.drqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
            for (String line : runAndKill(round, 300 + random.nextInt(900))) {
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

    /** Starts the child, lets it work for {@code runMillis} after it opened the queue, kills it; returns its log. */
    private List<String> runAndKill(int round, long runMillis) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = logs.resolve("child-" + round + ".log");
        ProcessBuilder pb = new ProcessBuilder(java.toString(),
                // As production should run it: lets Xodus make its file channel uninterruptible.
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DrQueueCrashChild.class.getName(), dir.toString(), Integer.toString(round), log.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(logs.resolve("child-" + round + ".err").toFile());
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!completeLines(log).contains("OPEN") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(completeLines(log).contains("OPEN"), "child did not open the queue; see " + pb.redirectError().file());
            Thread.sleep(runMillis);
            assertTrue(child.isAlive(), "child died on its own; see " + pb.redirectError().file());
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(137, child.exitValue(), "child was not killed by SIGKILL");
        return completeLines(log);
    }

    /** The log's lines that were written whole (a write cut short by the kill has no newline). */
    private static List<String> completeLines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
