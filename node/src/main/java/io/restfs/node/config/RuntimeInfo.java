package io.restfs.node.config;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a running node writes into its folder ({@value #FILE_NAME}) once it serves: its pid and the ports it actually
 * bound, so {@code restfs cluster} and tests can find and stop it. Removed on a clean shutdown.
 */
public record RuntimeInfo(long pid, String nodeId, String host, int apiPort, int dhtPort, int shardPort,
                          long startedMillis) {
    public static final String FILE_NAME = "node.run.json";

    public String apiUrl() {
        return "http://" + host + ":" + apiPort;
    }

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        new ObjectMapper().writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The runtime info in {@code file}, or empty when there is none (the node never started or stopped cleanly). */
    public static Optional<RuntimeInfo> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(new ObjectMapper().readValue(file.toFile(), RuntimeInfo.class));
    }
}
