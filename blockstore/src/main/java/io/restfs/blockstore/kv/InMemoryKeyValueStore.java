package io.restfs.blockstore.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A {@link KeyValueStore} in a sorted map, for the simulator and fast tests. Nothing survives
 * {@link #close()}; {@link #sync()} has nothing to do.
 */
public final class InMemoryKeyValueStore implements KeyValueStore {

    private final NavigableMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
    private boolean closed;

    @Override
    public synchronized Optional<byte[]> get(byte[] key) {
        checkOpen();
        byte[] v = map.get(KeyValueStore.checkKey(key));
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    @Override
    public synchronized void put(byte[] key, byte[] value) {
        checkOpen();
        KeyValueStore.checkKey(key);
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        map.put(key.clone(), value.clone());
    }

    @Override
    public synchronized boolean delete(byte[] key) {
        checkOpen();
        return map.remove(KeyValueStore.checkKey(key)) != null;
    }

    @Override
    public void scan(byte[] fromInclusive, byte[] toExclusive, Predicate<KvEntry> visitor) {
        KeyValueStore.checkKey(fromInclusive);
        // Copy under the lock so the visitor sees a snapshot, as it does with Xodus.
        List<KvEntry> snapshot = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            Map<byte[], byte[]> range = toExclusive == null
                    ? map.tailMap(fromInclusive, true)
                    : (Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0
                            ? Map.of() : map.subMap(fromInclusive, true, toExclusive, false));
            range.forEach((k, v) -> snapshot.add(new KvEntry(k.clone(), v.clone())));
        }
        for (KvEntry e : snapshot) {
            if (!visitor.test(e)) {
                return;
            }
        }
    }

    @Override
    public synchronized void write(KvBatch batch) {
        checkOpen();
        for (KvBatch.Op op : batch.ops()) {
            if (op instanceof KvBatch.Put p) {
                map.put(p.key(), p.value());
            } else {
                map.remove(op.key());
            }
        }
    }

    @Override
    public synchronized void sync() {
        checkOpen();
    }

    @Override
    public synchronized void close() {
        closed = true;
        map.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("key-value store is closed");
        }
    }
}
