package io.restfs.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void recoversSampleFileAfterLosingParityManyShardsPerSegment() throws Exception {
        Captured run = capture("demo", "--local", "--size", "9m", "--k", "3", "--m", "2", "--dir", dir.toString());

        assertEquals(0, run.exitCode, run.out);
        assertTrue(run.out.contains("identical to the original"), run.out);
        assertTrue(run.out.contains("failed its hash check"), run.out);
        assertTrue(Files.exists(dir.resolve("recovered.bin")), "the recovered file is kept in --dir");
        assertEquals(Files.size(dir.resolve("sample.bin")), Files.size(dir.resolve("recovered.bin")));
    }

    @Test
    void refusesADemoWithoutParity() throws Exception {
        Captured run = capture("demo", "--m", "0", "--dir", dir.toString());

        assertEquals(2, run.exitCode);
        assertTrue(run.err.contains("--m must be at least 1"), run.err);
    }

    private record Captured(int exitCode, String out, String err) {
    }

    private static Captured capture(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
