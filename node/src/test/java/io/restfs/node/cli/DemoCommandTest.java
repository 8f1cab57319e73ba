package io.restfs.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void recoversSampleFileAfterLosingParityManyShardsPerSegment() throws Exception {
        CliRun run = CliRun.of("demo", "--local", "--size", "9m", "--k", "3", "--m", "2", "--dir", dir.toString());

        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("identical to the original"), run.out());
        assertTrue(run.out().contains("failed its hash check"), run.out());
        assertTrue(Files.exists(dir.resolve("recovered.bin")), "the recovered file is kept in --dir");
        assertEquals(Files.size(dir.resolve("sample.bin")), Files.size(dir.resolve("recovered.bin")));
    }

    @Test
    void refusesADemoWithoutParity() throws Exception {
        CliRun run = CliRun.of("demo", "--m", "0", "--dir", dir.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--m must be at least 1"), run.err());
    }
}
