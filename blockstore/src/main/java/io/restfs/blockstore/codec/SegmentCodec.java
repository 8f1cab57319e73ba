package io.restfs.blockstore.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.xerial.snappy.Snappy;

/**
 * Turns one segment's bytes into k+m shards under a {@link CodecPolicy}, and back from any k of them.
 *
 * <p>Encoding: SHA-256 of the plaintext; snappy, kept only when it saves at least 5%; AES-256-GCM in
 * 64 KiB records; Reed-Solomon k+m over the ciphertext; SHA-256 of each shard payload; a
 * {@link ShardHeader} in front of each. The ciphertext is written straight into the k data shard
 * arrays (after their header room), parity is computed in place and each payload is hashed once, so
 * the only segment-sized buffer besides the shards is snappy's output (reused per thread).
 *
 * <p>Keys and nonces: each segment is encrypted under its own key, HMAC-SHA256(bucket key,
 * "restfs/segment-key/v1" || segment id), and record r of it under the 12-byte nonce
 * (first 8 bytes of the segment id || r as 4 bytes big-endian). A (key, nonce) pair repeats only if a
 * segment id repeats under one bucket key, so callers must give every segment written a fresh
 * random 128-bit id ({@link SegmentId#random}); with that, nonces never repeat (no birthday bound
 * on nonces applies, since the nonce is a counter under a per-segment key). Each record's AAD is
 * (format version, flags, segment id, plaintext length, stored length, record index, last-record
 * flag), so records cannot be moved between segments, reordered, dropped or truncated, and the
 * lengths and compression flag in the headers cannot be altered, without failing authentication.
 *
 * <p>Decoding takes shards in any order, checks each header and payload hash, ignores the ones that
 * fail, and uses the first k good ones (data shards first, which avoids Reed-Solomon work). Instances
 * are thread-safe; each thread keeps its own Cipher, Mac, digests and scratch buffers.
 */
public final class SegmentCodec {
    private static final byte[] SEGMENT_KEY_LABEL = "restfs/segment-key/v1".getBytes(StandardCharsets.US_ASCII);
    /** version, flags, segment id, plaintext length, stored length, record index, last flag. */
    private static final int AAD_LENGTH = 1 + 1 + SegmentId.LENGTH + 4 + 4 + 4 + 1;
    private static final int TAG_BITS = SegmentLayout.TAG_LENGTH * 8;

    private final ErasureCoder.Factory coderFactory;
    private final Map<Integer, ErasureCoder> coders = new ConcurrentHashMap<>();
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    /** A codec using Backblaze's Reed-Solomon. */
    public SegmentCodec() {
        this(BackblazeErasureCoder::new);
    }

    public SegmentCodec(ErasureCoder.Factory coderFactory) {
        this.coderFactory = Objects.requireNonNull(coderFactory, "coderFactory");
    }

    /** Encodes all of {@code data} as one segment. */
    public EncodedSegment encode(CodecPolicy policy, SegmentId id, BucketKey key, byte[] data) {
        return encode(policy, id, key, data, 0, data.length);
    }

    /**
     * Encodes {@code data[offset, offset+length)} as one segment.
     *
     * @param key the bucket key; required when the policy encrypts, ignored otherwise (may be null)
     * @throws IllegalArgumentException if {@code length} exceeds the policy's segment size or the
     *     range is outside {@code data}, or a key is needed and missing
     */
    public EncodedSegment encode(CodecPolicy policy, SegmentId id, BucketKey key, byte[] data, int offset, int length) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(id, "segment id");
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(data, "data").length);
        if (length > policy.segmentSize()) {
            throw new IllegalArgumentException("segment of " + length + " bytes exceeds the policy's segment size "
                    + policy.segmentSize());
        }
        if (policy.encrypt() && key == null) {
            throw new IllegalArgumentException("policy " + policy + " encrypts but no bucket key was given");
        }
        Workspace w = workspaces.get();
        byte[] plaintextHash = w.sha256(data, offset, length);

        byte[] stored = data;
        int storedOffset = offset;
        int storedLength = length;
        boolean compressed = false;
        if (policy.compress() && length > 0) {
            byte[] buf = w.compressBuffer(Snappy.maxCompressedLength(length));
            int n;
            try {
                n = Snappy.compress(data, offset, length, buf, 0);
            } catch (IOException e) {
                throw new IllegalStateException("snappy failed to compress segment " + id, e);
            }
            if (SegmentLayout.worthCompressing(length, n)) {
                stored = buf;
                storedOffset = 0;
                storedLength = n;
                compressed = true;
            }
        }

        int k = policy.k();
        int ciphertextLength = SegmentLayout.ciphertextLength(storedLength, policy.encrypt());
        int payloadLength = SegmentLayout.payloadLength(ciphertextLength, k);
        byte[][] shards = new byte[policy.totalShards()][ShardHeader.SIZE + payloadLength];
        if (policy.encrypt()) {
            int flags = ShardHeader.flags(policy, compressed);
            encryptRecords(w, key, id, flags, length, stored, storedOffset, storedLength, shards, payloadLength);
        } else {
            scatter(stored, storedOffset, storedLength, 0, shards, payloadLength);
        }
        if (policy.m() > 0) {
            coder(k, policy.m()).encodeParity(shards, ShardHeader.SIZE, payloadLength);
        }

        List<Shard> out = new ArrayList<>(shards.length);
        for (int i = 0; i < shards.length; i++) {
            byte[] payloadHash = w.sha256(shards[i], ShardHeader.SIZE, payloadLength);
            new ShardHeader(policy, compressed, i, length, storedLength, ciphertextLength, payloadLength,
                    id, payloadHash, plaintextHash).writeTo(shards[i]);
            out.add(new Shard(i, shards[i], payloadHash));
        }
        return new EncodedSegment(id, policy, length, compressed, plaintextHash, out);
    }

    /**
     * Decodes segment {@code expectedId} from any k of its shards (each a full shard: header and
     * payload), given in any order, possibly with duplicates, damaged ones or shards of other segments.
     *
     * @param key the bucket key; required when the segment is encrypted
     * @return the segment's plaintext, checked against its SHA-256
     * @throws NotEnoughShardsException fewer than k shards pass their header and hash checks
     * @throws SegmentAuthenticationException a record's GCM tag fails (wrong key, tampered data)
     * @throws SegmentIntegrityException the decoded plaintext does not match its hash
     */
    public byte[] decode(SegmentId expectedId, BucketKey key, List<byte[]> shards) {
        return decode(expectedId, key, shards, null);
    }

    /**
     * Like {@link #decode(SegmentId, BucketKey, List)}, trusting only shards whose payload SHA-256 is the
     * one the manifest lists for their index. A shard forged whole (consistent header, hash and CRC) is
     * then skipped like a damaged one, instead of failing authentication when it is picked.
     *
     * @param manifestHashes the payload SHA-256 of every shard in index order (k+m entries), as
     *     {@link Shard#payloadHash()} gave them at encoding; null to trust the shard headers alone
     * @throws IllegalArgumentException if the manifest lists a different number of shards than the
     *     segment has
     */
    public byte[] decode(SegmentId expectedId, BucketKey key, List<byte[]> shards, List<byte[]> manifestHashes) {
        Objects.requireNonNull(expectedId, "segment id");
        Objects.requireNonNull(shards, "shards");
        Workspace w = workspaces.get();

        // 1. Read every header; keep those of this segment (and of the manifest, if given) that agree
        //    with the majority description.
        Map<Integer, String> rejected = new LinkedHashMap<>();
        List<String> unplaceable = new ArrayList<>();
        List<ShardHeader> headers = new ArrayList<>(shards.size());
        List<byte[]> bodies = new ArrayList<>(shards.size());
        for (int j = 0; j < shards.size(); j++) {
            byte[] s = shards.get(j);
            ShardHeader h;
            try {
                h = ShardHeader.parse(s);
            } catch (MalformedShardException e) {
                unplaceable.add("shard #" + j + ": " + e.getMessage());
                continue;
            }
            if (!h.segmentId().equals(expectedId)) {
                unplaceable.add("shard #" + j + ": belongs to segment " + h.segmentId());
                continue;
            }
            if (manifestHashes != null) {
                if (h.index() >= manifestHashes.size()) {
                    unplaceable.add("shard #" + j + ": index " + h.index() + " beyond the manifest's "
                            + manifestHashes.size() + " shards");
                    continue;
                }
                if (!MessageDigest.isEqual(h.payloadHash(), manifestHashes.get(h.index()))) {
                    rejected.putIfAbsent(h.index(), "payload SHA-256 differs from the manifest");
                    continue;
                }
            }
            headers.add(h);
            bodies.add(s);
        }
        ShardHeader ref = majority(headers);
        if (ref == null) {
            throw new NotEnoughShardsException(expectedId, -1, List.of(), List.of(), rejected, unplaceable);
        }
        CodecPolicy policy = ref.policy();
        int k = policy.k();
        int total = policy.totalShards();
        if (manifestHashes != null && manifestHashes.size() != total) {
            throw new IllegalArgumentException("manifest lists " + manifestHashes.size() + " shard hashes for segment "
                    + expectedId + ", which has " + total + " shards (" + policy + ")");
        }
        if (ref.policy().encrypt() && key == null) {
            throw new IllegalArgumentException("segment " + expectedId + " is encrypted but no bucket key was given");
        }

        // 2. Hash-check candidates, data shards first, until k are good.
        List<List<Integer>> candidates = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            candidates.add(new ArrayList<>(1));
        }
        for (int j = 0; j < headers.size(); j++) {
            ShardHeader h = headers.get(j);
            if (h.sameSegmentAs(ref)) {
                candidates.get(h.index()).add(j);
            } else {
                unplaceable.add("shard index " + h.index() + ": header disagrees with the other shards about the segment");
            }
        }
        byte[][] rs = new byte[total][];
        boolean[] present = new boolean[total];
        int good = 0;
        int payloadLength = ref.payloadLength();
        for (int i = 0; i < total && good < k; i++) {
            for (int j : candidates.get(i)) {
                byte[] candidate = bodies.get(j);
                byte[] expected = headers.get(j).payloadHash();
                if (MessageDigest.isEqual(expected, w.sha256(candidate, ShardHeader.SIZE, payloadLength))) {
                    rs[i] = candidate;
                    present[i] = true;
                    rejected.remove(i);
                    good++;
                    break;
                }
                rejected.put(i, "payload SHA-256 does not match its header");
            }
        }
        if (good < k) {
            List<Integer> goodIndices = new ArrayList<>();
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                (present[i] ? goodIndices : missing).add(i);
            }
            throw new NotEnoughShardsException(expectedId, k, goodIndices, missing, rejected, unplaceable);
        }

        // 3. Rebuild missing data shards (only when some are missing: the common read needs no algebra).
        boolean allData = true;
        for (int i = 0; i < k; i++) {
            allData &= present[i];
        }
        if (!allData) {
            for (int i = 0; i < k; i++) {
                if (!present[i]) {
                    rs[i] = new byte[ShardHeader.SIZE + payloadLength];
                }
            }
            coder(k, policy.m()).reconstructData(rs, present, ShardHeader.SIZE, payloadLength);
        }

        // 4. Decrypt (or gather) into the stored bytes, decompress, check the plaintext hash.
        int plaintextLength = ref.plaintextLength();
        int storedLength = ref.storedLength();
        byte[] plaintext = new byte[plaintextLength];
        byte[] stored = ref.compressed() ? w.storedBuffer(storedLength) : plaintext;
        if (policy.encrypt()) {
            decryptRecords(w, key, expectedId, ref.flags(), plaintextLength, storedLength, rs, payloadLength, stored);
        } else {
            gather(rs, payloadLength, 0, stored, 0, storedLength);
        }
        if (ref.compressed()) {
            // Snappy's decoder bounds-checks every read and write against the input and the length its
            // preamble declares, so checking that length against our exact-size output array is what
            // keeps damaged (unencrypted) input from writing past it; no separate validation pass.
            try {
                int declared = Snappy.uncompressedLength(stored, 0, storedLength);
                if (declared != plaintextLength
                        || Snappy.uncompress(stored, 0, storedLength, plaintext, 0) != plaintextLength) {
                    throw new SegmentIntegrityException(expectedId, "compressed bytes do not expand to the "
                            + plaintextLength + "-byte plaintext the header promises", null);
                }
            } catch (IOException e) {
                throw new SegmentIntegrityException(expectedId, "snappy could not decompress the segment", e);
            }
        }
        if (!MessageDigest.isEqual(ref.plaintextHash(), w.sha256(plaintext, 0, plaintextLength))) {
            throw new SegmentIntegrityException(expectedId, "decoded plaintext does not match its SHA-256", null);
        }
        return plaintext;
    }

    private static ShardHeader majority(List<ShardHeader> headers) {
        ShardHeader best = null;
        int bestCount = 0;
        for (ShardHeader h : headers) {
            int count = 0;
            for (ShardHeader o : headers) {
                if (h.sameSegmentAs(o)) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = h;
                bestCount = count;
            }
        }
        return best;
    }

    private ErasureCoder coder(int k, int m) {
        return coders.computeIfAbsent(k << 8 | m, key -> coderFactory.create(k, m));
    }

    private static void encryptRecords(Workspace w, BucketKey key, SegmentId id, int flags, int plaintextLength,
            byte[] src, int srcOffset, int storedLength, byte[][] shards, int payloadLength) {
        SecretKeySpec segmentKey = w.segmentKey(key, id);
        int records = SegmentLayout.recordCount(storedLength);
        try {
            for (int r = 0; r < records; r++) {
                int in = r * SegmentLayout.RECORD_SIZE;
                int len = Math.min(SegmentLayout.RECORD_SIZE, storedLength - in);
                int pos = r * (SegmentLayout.RECORD_SIZE + SegmentLayout.TAG_LENGTH);
                int ctLen = len + SegmentLayout.TAG_LENGTH;
                Cipher c = w.initRecord(Cipher.ENCRYPT_MODE, segmentKey, id, flags, plaintextLength, storedLength,
                        r, r == records - 1);
                int shard = pos / payloadLength;
                int within = pos % payloadLength;
                if (within + ctLen <= payloadLength) {
                    c.doFinal(src, srcOffset + in, len, shards[shard], ShardHeader.SIZE + within);
                } else {
                    c.doFinal(src, srcOffset + in, len, w.record, 0);
                    scatter(w.record, 0, ctLen, pos, shards, payloadLength);
                }
            }
        } catch (GeneralSecurityException e) {
            // The JDK refuses to encrypt twice in a row under the same key and nonce, which here means the
            // same segment id: ids must be fresh for every segment written (see the class comment).
            throw new IllegalArgumentException("AES-GCM refused to encrypt segment " + id
                    + ": segment ids must be fresh for every encode, never reused", e);
        }
    }

    private static void decryptRecords(Workspace w, BucketKey key, SegmentId id, int flags, int plaintextLength,
            int storedLength, byte[][] shards, int payloadLength, byte[] out) {
        SecretKeySpec segmentKey = w.segmentKey(key, id);
        int records = SegmentLayout.recordCount(storedLength);
        for (int r = 0; r < records; r++) {
            int outPos = r * SegmentLayout.RECORD_SIZE;
            int len = Math.min(SegmentLayout.RECORD_SIZE, storedLength - outPos);
            int pos = r * (SegmentLayout.RECORD_SIZE + SegmentLayout.TAG_LENGTH);
            int ctLen = len + SegmentLayout.TAG_LENGTH;
            try {
                Cipher c = w.initRecord(Cipher.DECRYPT_MODE, segmentKey, id, flags, plaintextLength, storedLength,
                        r, r == records - 1);
                int shard = pos / payloadLength;
                int within = pos % payloadLength;
                if (within + ctLen <= payloadLength) {
                    c.doFinal(shards[shard], ShardHeader.SIZE + within, ctLen, out, outPos);
                } else {
                    gather(shards, payloadLength, pos, w.record, 0, ctLen);
                    c.doFinal(w.record, 0, ctLen, out, outPos);
                }
            } catch (AEADBadTagException e) {
                throw new SegmentAuthenticationException(id, r, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed to decrypt segment " + id, e);
            }
        }
    }

    /** Copies {@code len} bytes to ciphertext-stream position {@code pos}, which runs across the data shards. */
    private static void scatter(byte[] src, int srcOffset, int len, int pos, byte[][] shards, int payloadLength) {
        while (len > 0) {
            int shard = pos / payloadLength;
            int within = pos % payloadLength;
            int n = Math.min(len, payloadLength - within);
            System.arraycopy(src, srcOffset, shards[shard], ShardHeader.SIZE + within, n);
            srcOffset += n;
            pos += n;
            len -= n;
        }
    }

    private static void gather(byte[][] shards, int payloadLength, int pos, byte[] dst, int dstOffset, int len) {
        while (len > 0) {
            int shard = pos / payloadLength;
            int within = pos % payloadLength;
            int n = Math.min(len, payloadLength - within);
            System.arraycopy(shards[shard], ShardHeader.SIZE + within, dst, dstOffset, n);
            dstOffset += n;
            pos += n;
            len -= n;
        }
    }

    /** One thread's crypto objects and scratch buffers, reused across segments. */
    private static final class Workspace {
        final MessageDigest sha256;
        final Cipher cipher;
        final Mac hmac;
        final byte[] record = new byte[SegmentLayout.RECORD_SIZE + SegmentLayout.TAG_LENGTH];
        final byte[] aad = new byte[AAD_LENGTH];
        final byte[] nonce = new byte[SegmentLayout.NONCE_LENGTH];
        byte[] compress = new byte[0];
        byte[] stored = new byte[0];

        Workspace() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
                hmac = Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK lacks SHA-256, AES/GCM or HmacSHA256", e);
            }
        }

        byte[] sha256(byte[] b, int off, int len) {
            sha256.update(b, off, len);
            return sha256.digest();
        }

        byte[] compressBuffer(int size) {
            if (compress.length < size) {
                compress = new byte[size];
            }
            return compress;
        }

        byte[] storedBuffer(int size) {
            if (stored.length < size) {
                stored = new byte[size];
            }
            return stored;
        }

        SecretKeySpec segmentKey(BucketKey key, SegmentId id) {
            try {
                hmac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 refused a 32-byte key", e);
            }
            hmac.update(SEGMENT_KEY_LABEL);
            hmac.update(id.bytes());
            return new SecretKeySpec(hmac.doFinal(), "AES");
        }

        Cipher initRecord(int mode, SecretKeySpec segmentKey, SegmentId id, int flags, int plaintextLength,
                int storedLength, int record, boolean last) throws GeneralSecurityException {
            byte[] idBytes = id.bytes();
            System.arraycopy(idBytes, 0, nonce, 0, 8);
            putInt(nonce, 8, record);
            aad[0] = (byte) ShardHeader.FORMAT_VERSION;
            aad[1] = (byte) flags;
            System.arraycopy(idBytes, 0, aad, 2, SegmentId.LENGTH);
            putInt(aad, 18, plaintextLength);
            putInt(aad, 22, storedLength);
            putInt(aad, 26, record);
            aad[30] = (byte) (last ? 1 : 0);
            cipher.init(mode, segmentKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return cipher;
        }

        private static void putInt(byte[] b, int off, int v) {
            b[off] = (byte) (v >>> 24);
            b[off + 1] = (byte) (v >>> 16);
            b[off + 2] = (byte) (v >>> 8);
            b[off + 3] = (byte) v;
        }
    }
}
