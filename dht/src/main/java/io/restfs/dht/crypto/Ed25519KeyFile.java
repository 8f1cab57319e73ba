package io.restfs.dht.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * A node's private key on disk: the 32-byte Ed25519 seed, written as 64 hex digits and a newline, readable only by
 * its owner (0600). Loading also accepts the raw 32 bytes, and refuses a file that group or others can read, as
 * OpenSSH does for private keys.
 */
public final class Ed25519KeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Ed25519KeyFile() {
    }

    /** Writes {@code key} to a new file at {@code path}; refuses to replace an existing key. */
    public static void save(Path path, Ed25519KeyPair key) throws IOException {
        if (Files.exists(path)) {
            throw new FileAlreadyExistsException(path.toString(), null, "refusing to overwrite a node key");
        }
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] text = (HexFormat.of().formatHex(key.seed()) + "\n").getBytes(StandardCharsets.US_ASCII);
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        // Created 0600 from the start (no window where the seed is world-readable), synced, then moved into place
        // so a crash never leaves a half-written key.
        Path tmp = Files.createTempFile(dir, ".key-", ".tmp", attrs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads the key at {@code path}. */
    public static Ed25519KeyPair load(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (view != null) {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            for (PosixFilePermission p : perms) {
                if (!OWNER_ONLY.contains(p)) {
                    throw new KeyFileException(path, "permissions " + PosixFilePermissions.toString(perms)
                            + " let others read the node key; chmod 600 it");
                }
            }
        }
        long size = Files.size(path);
        // 32 raw bytes, or 64 hex digits with optional surrounding whitespace; anything much larger is not a key.
        if (size > 1024) {
            throw new KeyFileException(path, "is " + size + " bytes, not an Ed25519 seed");
        }
        byte[] content = Files.readAllBytes(path);
        if (content.length == Ed25519.SEED_BYTES) {
            // 32 hex digits would be half a seed, so a 32-byte file can only be the raw seed.
            return Ed25519KeyPair.fromSeed(content);
        }
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (text.length() != Ed25519.SEED_BYTES * 2 || !isHexText(text.getBytes(StandardCharsets.US_ASCII))) {
            throw new KeyFileException(path, "holds neither 64 hex digits nor 32 raw bytes");
        }
        return Ed25519KeyPair.fromSeed(HexFormat.of().parseHex(text));
    }

    /** Loads the key at {@code path}, creating one from {@code random} first if there is none. */
    public static Ed25519KeyPair loadOrCreate(Path path, SecureRandom random) throws IOException {
        if (!Files.exists(path)) {
            save(path, Ed25519KeyPair.generate(random));
        }
        return load(path);
    }

    private static boolean isHexText(byte[] b) {
        for (byte c : b) {
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
