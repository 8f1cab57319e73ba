package io.restfs.dht.crypto;

import java.io.IOException;
import java.nio.file.Path;

/** A node key file that cannot be used: wrong content, or readable by others. Names the file. */
public final class KeyFileException extends IOException {
    private final Path path;

    public KeyFileException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
