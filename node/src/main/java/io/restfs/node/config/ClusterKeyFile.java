package io.restfs.node.config;

import io.restfs.node.transfer.ClusterIdentity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The cluster key on disk: {@link ClusterIdentity#CLUSTER_KEY_BYTES} random bytes as hex and a newline, readable
 * only by its owner (0600), like the node key. Every node of a cluster holds the same one; it never travels.
 */
public final class ClusterKeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ClusterKeyFile() {
    }

    public static byte[] generate(SecureRandom random) {
        byte[] key = new byte[ClusterIdentity.CLUSTER_KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    /** Writes {@code key} to a new 0600 file; refuses to replace an existing one (that would split the cluster). */
    public static void save(Path path, byte[] key) throws IOException {
        if (key.length != ClusterIdentity.CLUSTER_KEY_BYTES) {
            throw new IllegalArgumentException("cluster key must be " + ClusterIdentity.CLUSTER_KEY_BYTES + " bytes");
        }
        if (Files.exists(path)) {
            throw new FileAlreadyExistsException(path.toString(), null, "refusing to overwrite a cluster key");
        }
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        // Created 0600 from the start, then moved into place: never world-readable, never half-written.
        Path tmp = Files.createTempFile(dir, ".cluster-key-", ".tmp", attrs);
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a cluster key written by {@link #save}; a file of another size or not hex is refused. */
    public static byte[] load(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
        byte[] key;
        try {
            key = HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": not a cluster key (expected " + 2 * ClusterIdentity.CLUSTER_KEY_BYTES
                    + " hex digits)");
        }
        if (key.length != ClusterIdentity.CLUSTER_KEY_BYTES) {
            throw new IOException(path + ": not a cluster key (expected " + ClusterIdentity.CLUSTER_KEY_BYTES
                    + " bytes, got " + key.length + ")");
        }
        return key;
    }
}
