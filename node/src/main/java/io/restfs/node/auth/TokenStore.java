package io.restfs.node.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The API tokens a node accepts, in {@code NODE_DIR/tokens.json}: each token's SHA-256 and its {@link Grant}, never
 * the token itself, so a copy of the file lets no one in. {@code restfs token create} adds to the file while the node
 * runs; the node notices the change on its next lookup. Writers take a lock file, so two of them never lose each
 * other's token.
 */
public final class TokenStore {
    public static final String FILE_NAME = "tokens.json";
    private static final String LOCK_NAME = "tokens.lock";
    private static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One stored token: its hash, its rights, when it was made and an optional note for people. */
    public record Entry(String sha256, boolean admin, Set<String> read, Set<String> write, long createdMillis,
                        String label) {
        public Grant grant() {
            return new Grant(admin, read, write);
        }

        /** A short public name for the token: the start of its hash, safe to print and log. */
        public String id() {
            return sha256.substring(0, 12);
        }
    }

    record FileFormat(int format, List<Entry> tokens) {
    }

    private final Path file;
    private final Path lockFile;
    private final Clock clock;
    private final SecureRandom random;

    private Map<String, Entry> byHash = Map.of();
    private FileTime loadedModified;
    private long loadedSize = -1;

    private TokenStore(Path dir, Clock clock, SecureRandom random) {
        this.file = dir.resolve(FILE_NAME);
        this.lockFile = dir.resolve(LOCK_NAME);
        this.clock = clock;
        this.random = random;
    }

    /** The store of the node whose directory is {@code nodeDir}; the directory must exist, the file need not. */
    public static TokenStore open(Path nodeDir) {
        return open(nodeDir, Clock.systemUTC(), new SecureRandom());
    }

    public static TokenStore open(Path nodeDir, Clock clock, SecureRandom random) {
        if (!Files.isDirectory(nodeDir)) {
            throw new IllegalArgumentException("no node directory at " + nodeDir);
        }
        TokenStore store = new TokenStore(nodeDir, clock, random);
        store.refresh();
        return store;
    }

    public Path file() {
        return file;
    }

    /** Makes a new token with {@code grant}, stores its hash, and returns the token: the only time it is seen. */
    public String create(Grant grant, String label) throws IOException {
        String token = BearerToken.generate(random);
        add(token, grant, label);
        return token;
    }

    /**
     * Stores an existing token with {@code grant}: how one token is made valid on several nodes of a cluster (create
     * it on one, add it to the others).
     */
    public void add(String token, Grant grant, String label) throws IOException {
        if (!BearerToken.wellFormed(token)) {
            throw new IllegalArgumentException("not a restfs token (43 base64url characters)");
        }
        String hash = sha256(token);
        Entry entry = new Entry(hash, grant.admin(), grant.read(), grant.write(), clock.millis(), label);
        update(entries -> entries.put(hash, entry));
    }

    /** Removes the tokens whose id (hash prefix, at least 8 characters) starts with {@code idPrefix}. */
    public int revoke(String idPrefix) throws IOException {
        if (idPrefix.length() < 8) {
            throw new IllegalArgumentException("give at least 8 characters of the token id");
        }
        int[] removed = {0};
        update(entries -> {
            removed[0] = entries.size();
            entries.keySet().removeIf(h -> h.startsWith(idPrefix));
            removed[0] -= entries.size();
        });
        return removed[0];
    }

    /** The grant of {@code token}, or empty when it is malformed or unknown. */
    public Optional<Grant> lookup(String token) {
        if (!BearerToken.wellFormed(token)) {
            return Optional.empty();
        }
        refresh();
        Entry e;
        synchronized (this) {
            e = byHash.get(sha256(token));
        }
        return Optional.ofNullable(e).map(Entry::grant);
    }

    public synchronized List<Entry> entries() {
        refresh();
        return List.copyOf(byHash.values());
    }

    /** Re-reads the file when its size or modification time changed since the last read. */
    private synchronized void refresh() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.lastModifiedTime().equals(loadedModified) && a.size() == loadedSize) {
                return;
            }
            byHash = read();
            loadedModified = a.lastModifiedTime();
            loadedSize = a.size();
        } catch (NoSuchFileException e) {
            byHash = Map.of();
            loadedModified = null;
            loadedSize = -1;
        } catch (IOException e) {
            // Keep serving with the tokens last read; a half-written file cannot happen (writes are atomic renames).
            throw new UncheckedIOException("cannot read token store " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Entry> read() throws IOException {
        Map<String, Entry> m = new TreeMap<>();
        try {
            FileFormat f = JSON.readValue(Files.readAllBytes(file), FileFormat.class);
            if (f.format() != FORMAT) {
                throw new IOException("unknown token store format " + f.format() + " in " + file);
            }
            for (Entry e : f.tokens()) {
                m.put(e.sha256(), e);
            }
        } catch (NoSuchFileException e) {
            return m;
        } catch (JsonProcessingException e) {
            throw new IOException("token store " + file + " is not valid: " + e.getOriginalMessage(), e);
        }
        return m;
    }

    private interface Change {
        void apply(Map<String, Entry> entries);
    }

    private void update(Change change) throws IOException {
        try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock.lock()) {
            Map<String, Entry> entries = read();
            change.apply(entries);
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(new FileFormat(FORMAT, new ArrayList<>(entries.values())))
                    .getBytes(StandardCharsets.UTF_8);
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        refresh();
    }

    static String sha256(String token) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
