package io.restfs.blockstore.kv;

/** One key and its value, as seen by a scan. The arrays belong to the receiver. */
public record KvEntry(byte[] key, byte[] value) {
}
