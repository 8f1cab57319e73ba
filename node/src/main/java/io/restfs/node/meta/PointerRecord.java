package io.restfs.node.meta;

import java.util.Optional;

import io.restfs.api.ObjectType;
import io.restfs.dht.bencode.BDict;
import io.restfs.dht.bencode.BInteger;
import io.restfs.dht.bencode.BString;
import io.restfs.dht.bencode.BencodeDecoder;
import io.restfs.dht.bencode.BencodeException;
import io.restfs.dht.bencode.BencodeLimits;
import io.restfs.dht.bencode.BencodeValue;
import io.restfs.dht.bencode.BencodeWriter;

/**
 * The small signed record (a BEP 44 mutable item's value) that names an object's current state: its version,
 * type, whether the newest version is a delete, size and mtime for listings, and the stored segment of its
 * manifest (a file) or listing (a directory). Bencoded, well under BEP 44's 1000 bytes.
 *
 * <p>History: a file's manifest names the previous version's manifest, so the versions form a chain from the
 * pointer back to version 1; a delete writes a tombstone manifest into the chain, so history survives it.
 *
 * @param ref the manifest (file) or listing (directory, empty when it has no entries)
 */
public record PointerRecord(ObjectType type, long version, boolean deleted, long size, long mtimeMillis,
                            Optional<StoredSegment> ref) {
    /** BEP 44's limit on a value. */
    public static final int MAX_BYTES = 1000;

    public PointerRecord {
        if (version < 0 || size < 0) {
            throw new IllegalArgumentException("version and size must be >= 0: " + version + ", " + size);
        }
    }

    public byte[] encode() {
        BencodeWriter w = new BencodeWriter(400);
        w.beginDict();
        w.key("d").integer(deleted ? 1 : 0);
        w.key("k").string(type == ObjectType.DIRECTORY ? "d" : "f");
        if (ref.isPresent()) {
            w.key("r").string(ref.get().toBytes());
        }
        w.key("s").integer(size);
        w.key("t").integer(mtimeMillis);
        w.key("v").integer(version);
        w.end();
        byte[] out = w.toByteArray();
        if (out.length > MAX_BYTES) {
            throw new IllegalStateException("pointer record of " + out.length + " bytes exceeds " + MAX_BYTES);
        }
        return out;
    }

    public static PointerRecord decode(byte[] value) throws MalformedRecordException {
        BDict d = dict(value, "pointer record");
        String kind = string(d, "k", "pointer record");
        ObjectType type = switch (kind) {
            case "d" -> ObjectType.DIRECTORY;
            case "f" -> ObjectType.FILE;
            default -> throw new MalformedRecordException("pointer record", "unknown kind " + kind);
        };
        Optional<StoredSegment> ref = Optional.empty();
        if (d.get("r") instanceof BString r) {
            ref = Optional.of(StoredSegment.fromBytes(r.bytes()));
        }
        try {
            return new PointerRecord(type, integer(d, "v", "pointer record"), integer(d, "d", "pointer record") != 0,
                    integer(d, "s", "pointer record"), integer(d, "t", "pointer record"), ref);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("pointer record", e);
        }
    }

    static BDict dict(byte[] value, String what) throws MalformedRecordException {
        try {
            BencodeValue v = new BencodeDecoder(BencodeLimits.KRPC.withMaxInputBytes(MAX_BYTES)).decode(value);
            if (v instanceof BDict d) {
                return d;
            }
            throw new MalformedRecordException(what, "not a dictionary");
        } catch (BencodeException e) {
            throw new MalformedRecordException(what, e);
        }
    }

    static long integer(BDict d, String key, String what) throws MalformedRecordException {
        if (d.get(key) instanceof BInteger i) {
            return i.value();
        }
        throw new MalformedRecordException(what, "missing integer " + key);
    }

    static String string(BDict d, String key, String what) throws MalformedRecordException {
        return new String(bytes(d, key, what), java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] bytes(BDict d, String key, String what) throws MalformedRecordException {
        if (d.get(key) instanceof BString s) {
            return s.bytes();
        }
        throw new MalformedRecordException(what, "missing string " + key);
    }
}
