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

/**
 * One version of a file: its attributes, the segments its bytes were cut into (in order) and the stored
 * segment of the previous version's manifest, so versions chain back to the first. A delete is a manifest too
 * (a tombstone: {@code deleted}, no segments). Immutable and stored like data (2+2, encrypted with the
 * metadata key).
 *
 * <p>Layout: "RFSM", format 1, then version, deleted, mtime, size, mode, owner (UTF), plaintext SHA-256
 * (32 bytes, all zero for a tombstone and where it is not known: a version made by writing one segment of a file of
 * several), whether a previous manifest follows and it, the segment count and
 * each segment.
 */
public record Manifest(long version, boolean deleted, long mtimeMillis, long size, int mode, String owner,
                       byte[] sha256, List<StoredSegment> segments, Optional<StoredSegment> previous) {
    private static final int MAGIC = 0x5246534d; // "RFSM"
    private static final int FORMAT = 1;
    /**
     * Segments per manifest: 64 MiB of manifest at most (the codec's largest segment); at about 2 KiB per
     * 32+16 segment, a million segments stays well inside it.
     */
    public static final int MAX_SEGMENTS = 1 << 20;

    public Manifest {
        sha256 = sha256.clone();
        segments = List.copyOf(segments);
        if (sha256.length != 32) {
            throw new IllegalArgumentException("sha256 must be 32 bytes");
        }
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public byte[] encode() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128 + segments.size() * 400);
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(MAGIC);
            out.writeByte(FORMAT);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public static Manifest decode(byte[] bytes) throws MalformedRecordException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC || in.readUnsignedByte() != FORMAT) {
                throw new MalformedRecordException("manifest", "not a format " + FORMAT + " manifest");
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
            if (in.available() != 0 || total != size || version < 1) {
                throw new MalformedRecordException("manifest", "segments add up to " + total + " of " + size
                        + " bytes, version " + version + ", " + in.available() + " trailing bytes");
            }
            return new Manifest(version, deleted, mtime, size, mode, owner, sha, segments, previous);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedRecordException("manifest", e);
        }
    }
}
