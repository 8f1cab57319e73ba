package io.restfs.blockstore.testing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A crash-test child's log: each line is one unbuffered write, so a line that was logged survives SIGKILL. */
public final class ChildLog implements AutoCloseable {
    private final FileOutputStream out;

    public ChildLog(Path file) throws IOException {
        this.out = new FileOutputStream(file.toFile(), true);
    }

    public void line(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
