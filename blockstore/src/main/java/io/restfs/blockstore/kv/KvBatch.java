package io.restfs.blockstore.kv;

import java.util.ArrayList;
import java.util.List;

/** Writes collected to be applied atomically by {@link KeyValueStore#write(KvBatch)}, in the order added. */
public final class KvBatch {

    /** One write of a batch. */
    public sealed interface Op permits Put, Delete {
        byte[] key();
    }

    /** Stores a value. */
    public record Put(byte[] key, byte[] value) implements Op {
    }

    /** Removes a key, whether or not it is there. */
    public record Delete(byte[] key) implements Op {
    }

    private final List<Op> ops = new ArrayList<>();

    public KvBatch put(byte[] key, byte[] value) {
        KeyValueStore.checkKey(key);
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        ops.add(new Put(key.clone(), value.clone()));
        return this;
    }

    public KvBatch delete(byte[] key) {
        KeyValueStore.checkKey(key);
        ops.add(new Delete(key.clone()));
        return this;
    }

    public List<Op> ops() {
        return List.copyOf(ops);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }
}
