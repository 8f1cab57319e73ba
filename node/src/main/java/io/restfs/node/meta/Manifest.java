package io.restfs.node.meta;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One version of a file: its attributes, the segments its bytes were cut into (in order) and the stored
 * segment of the previous version's manifest, so versions chain back to the first. A delete is a manifest too
 * (a tombstone: {@code deleted}, no segments). Immutable and stored like data (2+2, encrypted with the
 * metadata key).
 *
 * <p>{@code purged}: versions below this one that were deleted from the history ({@code object.deleteVersion}).
 * Their manifests stay in the chain, since the manifest above each names it, but a walk from the pointer skips
 * every version a manifest above it lists here. {@code renamed}: this version's segments are also another path's
 * (a live manifest a rename wrote), or, on a tombstone, the version just below it moved to another path by a
 * rename: either way those segments' shards are not this path's alone.
 *
 * <p>Layout: "RFSM", format 1, then version, deleted, mtime, size, mode, owner (UTF), plaintext SHA-256
 * (32 bytes, all zero for a tombstone and where it is not known: a version made by writing one segment of a file of
 * several), whether a previous manifest follows and it, the segment count and
 * each segment. Format 2 (written only when {@code renamed} is set or {@code purged} is not empty, so a manifest
 * without either encodes as before) adds after the segments: renamed (boolean), the purged count and each purged
 * version (longs, ascending).
 */
public record Manifest(long version, boolean deleted, long mtimeMillis, long size, int mode, String owner,
                       byte[] sha256, List<StoredSegment> segments, Optional<StoredSegment> previous,
                       boolean renamed, List<Long> purged) {
    private static final int MAGIC = 0x5246534d; // "RFSM"
    private static final int FORMAT = 1;
    /** With {@code renamed} and {@code purged}. */
    private static final int FORMAT_PURGED = 2;
    /**
     * Purged versions one manifest may list: 8 bytes each, so 8 MiB at most (the largest manifest may be 64 MiB),
     * and a hundred times the versions a listing walks past (StorageService.MAX_VERSIONS_SKIPPED).
     */
    public static final int MAX_PURGED = 1 << 20;
    /**
     * Segments per manifest: 64 MiB of manifest at most (the codec's largest segment); at about 2 KiB per
     * 32+16 segment, a million segments stays well inside it.
     */
    public static final int MAX_SEGMENTS = 1 << 20;

    public Manifest {
        sha256 = sha256.clone();
        segments = List.copyOf(segments);
        purged = List.copyOf(new TreeSet<>(purged));
        if (sha256.length != 32) {
            throw new IllegalArgumentException("sha256 must be 32 bytes");
        }
        if (purged.size() > MAX_PURGED || (!purged.isEmpty() && (purged.get(0) < 1
                || purged.get(purged.size() - 1) >= version))) {
            throw new IllegalArgumentException("version " + version + ": " + purged.size()
                    + " purged versions must lie between 1 and the version below it, at most " + MAX_PURGED);
        }
    }

    /** A version that was never renamed and lists no purged versions. */
    public Manifest(long version, boolean deleted, long mtimeMillis, long size, int mode, String owner, byte[] sha256,
                    List<StoredSegment> segments, Optional<StoredSegment> previous) {
        this(version, deleted, mtimeMillis, size, mode, owner, sha256, segments, previous, false, List.of());
    }

    /** The same version, also listing {@code version} as purged (this manifest must be above it). */
    public Manifest purging(long purgedVersion) {
        List<Long> more = new ArrayList<>(purged);
        more.add(purgedVersion);
        return new Manifest(version, deleted, mtimeMillis, size, mode, owner, sha256, segments, previous, renamed,
                more);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public byte[] encode() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128 + segments.size() * 400);
        try (DataOutputStream out = new DataOutputStream(b)) {
            boolean extended = renamed || !purged.isEmpty();
            out.writeInt(MAGIC);
            out.writeByte(extended ? FORMAT_PURGED : FORMAT);
            out.writeLong(version);
            out.writeBoolean(deleted);
            out.writeLong(mtimeMillis);
            out.writeLong(size);
            out.writeInt(mode);
            out.writeUTF(owner);
            out.write(sha256);
            out.writeBoolean(previous.isPresent());
            if (previous.isPresent()) {
                previous.get().writeTo(out);
            }
            out.writeInt(segments.size());
            for (StoredSegment s : segments) {
                s.writeTo(out);
            }
            if (extended) {
                out.writeBoolean(renamed);
                out.writeInt(purged.size());
                for (long v : purged) {
                    out.writeLong(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public static Manifest decode(byte[] bytes) throws MalformedRecordException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt() == MAGIC ? in.readUnsignedByte() : -1;
            if (format != FORMAT && format != FORMAT_PURGED) {
                throw new MalformedRecordException("manifest", "not a format " + FORMAT + " or " + FORMAT_PURGED
                        + " manifest");
            }
            long version = in.readLong();
            boolean deleted = in.readBoolean();
            long mtime = in.readLong();
            long size = in.readLong();
            int mode = in.readInt();
            String owner = in.readUTF();
            byte[] sha = in.readNBytes(32);
            Optional<StoredSegment> previous = in.readBoolean() ? Optional.of(StoredSegment.readFrom(in))
                    : Optional.empty();
            int count = in.readInt();
            if (count < 0 || count > MAX_SEGMENTS) {
                throw new MalformedRecordException("manifest", "segment count " + count);
            }
            List<StoredSegment> segments = new ArrayList<>(Math.min(count, 1024));
            long total = 0;
            for (int i = 0; i < count; i++) {
                StoredSegment s = StoredSegment.readFrom(in);
                total += s.length();
                segments.add(s);
            }
            boolean renamed = false;
            List<Long> purged = List.of();
            if (format == FORMAT_PURGED) {
                renamed = in.readBoolean();
                int purgedCount = in.readInt();
                if (purgedCount < 0 || purgedCount > MAX_PURGED) {
                    throw new MalformedRecordException("manifest", "purged count " + purgedCount);
                }
                purged = new ArrayList<>(Math.min(purgedCount, 1024));
                for (int i = 0; i < purgedCount; i++) {
                    purged.add(in.readLong());
                }
            }
            if (in.available() != 0 || total != size || version < 1) {
                throw new MalformedRecordException("manifest", "segments add up to " + total + " of " + size
                        + " bytes, version " + version + ", " + in.available() + " trailing bytes");
            }
            return new Manifest(version, deleted, mtime, size, mode, owner, sha, segments, previous, renamed, purged);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedRecordException("manifest", e);
        }
    }
}
