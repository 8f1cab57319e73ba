package io.restfs.blockstore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child JVM that works until it is killed with SIGKILL, for crash tests. The child logs what it has
 * done to a file through {@link ChildLog}, one write per line, rather than to a pipe: the JDK can lose the
 * tail of a killed process's pipe, which would make a sound store look lossy. A write that returned
 * survives SIGKILL.
 */
public final class KilledChild {
    private KilledChild() {
    }

    /**
     * Starts {@code main} with {@code args} plus the log file's path as its last argument, waits until it logs
     * {@code OPEN}, lets it work for {@code runMillis}, kills it and returns the lines it logged whole.
     */
    public static List<String> runAndKill(Class<?> main, List<String> args, Path logDir, String name, long runMillis)
            throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = logDir.resolve(name + ".log");
        Path err = logDir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                // As production should run it: lets Xodus make its file channel uninterruptible.
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        command.add(log.toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(err.toFile());
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!completeLines(log).contains("OPEN") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(completeLines(log).contains("OPEN"), "child did not start its work; see " + err);
            Thread.sleep(runMillis);
            assertTrue(child.isAlive(), "child died on its own; see " + err);
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
