package io.restfs.node.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MiB shard streams from a client to a server's store inside a JVM limited to 32 MiB of heap
 * and 32 MiB of direct memory: if either side held the shard whole, the child would die of it.
 */
class BoundedHeapTransferTest {

    private static final long SHARD_BYTES = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void sixtyFourMebibyteShardStreamsThroughWithBoundedMemory() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(java.toString(),
                "-Xmx32m", "-XX:MaxDirectMemorySize=32m",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                BoundedHeapPut.class.getName(), dir.resolve("store").toString(), Long.toString(SHARD_BYTES))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process child = pb.start();
        try {
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished");
        } finally {
            child.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        List<String> stored = out.lines().filter(l -> l.startsWith("stored ")).toList();
        assertEquals(1, stored.size(), out);
        assertEquals(Long.toString(SHARD_BYTES), stored.get(0).split(" ")[1], out);
        System.out.println("bounded-memory child: " + stored.get(0));
    }
}
