package io.restfs.node.meta;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.store.Sha256;
import io.restfs.dht.id.NodeId;

/**
 * Where one encoded segment lives: its id, plaintext length, code k+m and its k+m shards in index order. The
 * unit manifests list for data and pointer records name for manifests and listings.
 */
public record StoredSegment(SegmentId id, int length, int k, int m, List<ShardRef> shards) {
    /** The codec's limits: 32 data + 16 parity shards (CodecPolicy.MAX_DATA_SHARDS, MAX_PARITY_SHARDS). */
    static final int MAX_SHARDS = 48;

    public StoredSegment {
        Objects.requireNonNull(id, "id");
        shards = List.copyOf(shards);
        if (length < 0 || k < 1 || m < 0 || k + m > MAX_SHARDS || shards.size() != k + m) {
            throw new IllegalArgumentException("segment " + id + ": length " + length + ", " + k + "+" + m
                    + " with " + shards.size() + " shards");
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).index() != i) {
                throw new IllegalArgumentException("segment " + id + ": shard " + i + " has index "
                        + shards.get(i).index());
            }
        }
    }

    /** The same segment with shard {@code index}'s holder hint replaced. */
    public StoredSegment withHolder(int index, NodeId holder) {
        List<ShardRef> s = new ArrayList<>(shards);
        ShardRef old = s.get(index);
        s.set(index, new ShardRef(index, old.sha256(), java.util.Optional.of(holder)));
        return new StoredSegment(id, length, k, m, s);
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.write(id.toBytes());
        out.writeInt(length);
        out.writeByte(k);
        out.writeByte(m);
        for (ShardRef r : shards) {
            out.write(r.sha256().bytes());
            byte[] holder = r.holder().map(NodeId::toBytes).orElse(new byte[NodeId.LENGTH]);
            out.write(holder);
        }
    }

    static StoredSegment readFrom(DataInputStream in) throws IOException, MalformedRecordException {
        byte[] id = in.readNBytes(SegmentId.LENGTH);
        int length = in.readInt();
        int k = in.readUnsignedByte();
        int m = in.readUnsignedByte();
        if (id.length != SegmentId.LENGTH || length < 0 || k < 1 || k + m > MAX_SHARDS) {
            throw new MalformedRecordException("stored segment", "bad header: length " + length + ", " + k + "+" + m);
        }
        List<ShardRef> shards = new ArrayList<>(k + m);
        for (int i = 0; i < k + m; i++) {
            byte[] sha = in.readNBytes(Sha256.LENGTH);
            byte[] holder = in.readNBytes(NodeId.LENGTH);
            if (sha.length != Sha256.LENGTH || holder.length != NodeId.LENGTH) {
                throw new MalformedRecordException("stored segment", "truncated at shard " + i);
            }
            boolean known = false;
            for (byte b : holder) {
                known |= b != 0;
            }
            shards.add(new ShardRef(i, new Sha256(sha), known ? java.util.Optional.of(NodeId.of(holder))
                    : java.util.Optional.empty()));
        }
        return new StoredSegment(SegmentId.of(id), length, k, m, shards);
    }

    byte[] toBytes() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static StoredSegment fromBytes(byte[] bytes) throws MalformedRecordException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            StoredSegment s = readFrom(in);
            if (in.available() != 0) {
                throw new MalformedRecordException("stored segment", in.available() + " trailing bytes");
            }
            return s;
        } catch (IOException e) {
            throw new MalformedRecordException("stored segment", e);
        }
    }
}
