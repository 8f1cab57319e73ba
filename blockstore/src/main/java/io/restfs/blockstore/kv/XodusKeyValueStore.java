package io.restfs.blockstore.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;

/**
 * A {@link KeyValueStore} in one Xodus environment (one directory, one named store).
 *
 * <p>Xodus does not fsync each transaction by default; opened with {@code durable = true}, every
 * commit is fsynced before it returns, which is what the shard index and the DR queue need for
 * "acknowledged means durable".
 */
public final class XodusKeyValueStore implements KeyValueStore {

    private static final String STORE_NAME = "kv";

    private final Environment env;
    private final Store store;

    private XodusKeyValueStore(Environment env, Store store) {
        this.env = env;
        this.store = store;
    }

    /**
     * Opens (creating if needed) the environment in {@code dir}. With {@code durable}, each
     * committed write is on stable storage when the call returns.
     */
    public static XodusKeyValueStore open(Path dir, boolean durable) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create key-value directory " + dir, e);
        }
        EnvironmentConfig config = new EnvironmentConfig()
                .setLogDurableWrite(durable)
                // A close that races a failed operation should still release the directory lock.
                .setEnvCloseForcedly(true);
        Environment env = Environments.newInstance(dir.toFile(), config);
        try {
            Store store = env.computeInTransaction(
                    txn -> env.openStore(STORE_NAME, StoreConfig.WITHOUT_DUPLICATES, txn));
            return new XodusKeyValueStore(env, store);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        ByteIterable k = new ArrayByteIterable(KeyValueStore.checkKey(key));
        byte[] v = env.computeInReadonlyTransaction(txn -> {
            ByteIterable found = store.get(txn, k);
            return found == null ? null : copy(found);
        });
        return Optional.ofNullable(v);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        write(new KvBatch().put(key, value));
    }

    @Override
    public boolean delete(byte[] key) {
        ByteIterable k = new ArrayByteIterable(KeyValueStore.checkKey(key));
        return env.computeInTransaction(txn -> store.delete(txn, k));
    }

    @Override
    public void scan(byte[] fromInclusive, byte[] toExclusive, Predicate<KvEntry> visitor) {
        KeyValueStore.checkKey(fromInclusive);
        env.executeInReadonlyTransaction(txn -> {
            try (Cursor cursor = store.openCursor(txn)) {
                if (cursor.getSearchKeyRange(new ArrayByteIterable(fromInclusive)) == null) {
                    return;
                }
                do {
                    byte[] key = copy(cursor.getKey());
                    if (toExclusive != null && Arrays.compareUnsigned(key, toExclusive) >= 0) {
                        return;
                    }
                    if (!visitor.test(new KvEntry(key, copy(cursor.getValue())))) {
                        return;
                    }
                } while (cursor.getNext());
            }
        });
    }

    @Override
    public void write(KvBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        env.executeInTransaction(txn -> {
            for (KvBatch.Op op : batch.ops()) {
                if (op instanceof KvBatch.Put p) {
                    store.put(txn, new ArrayByteIterable(p.key()), new ArrayByteIterable(p.value()));
                } else {
                    store.delete(txn, new ArrayByteIterable(op.key()));
                }
            }
        });
    }

    @Override
    public void sync() {
        if (env instanceof EnvironmentImpl impl) {
            impl.flushAndSync();
        }
    }

    @Override
    public void close() {
        env.close();
    }

    private static byte[] copy(ByteIterable it) {
        return Arrays.copyOf(it.getBytesUnsafe(), it.getLength());
    }
}
