package io.restfs.node.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.restfs.api.BucketApi;
import io.restfs.api.BucketEvent;
import io.restfs.api.BucketInfo;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ClusterApi;
import io.restfs.api.ClusterStatus;
import io.restfs.api.DirEntry;
import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import io.restfs.api.Member;
import io.restfs.api.ObjectApi;
import io.restfs.api.ObjectInfo;
import io.restfs.api.ObjectType;
import io.restfs.api.ObjectVersion;
import io.restfs.api.Paging;
import io.restfs.api.RestfsException;
import io.restfs.api.SegmentApi;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;
import io.restfs.blockstore.codec.BucketKey;
import io.restfs.blockstore.codec.CodecPolicy;
import io.restfs.blockstore.codec.EncodedSegment;
import io.restfs.blockstore.codec.InvalidPolicyException;
import io.restfs.blockstore.codec.NotEnoughShardsException;
import io.restfs.blockstore.codec.ObjectCodec;
import io.restfs.blockstore.codec.SegmentCodec;
import io.restfs.blockstore.codec.SegmentDecodeException;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.codec.SegmentShards;
import io.restfs.blockstore.store.CapacityExceededException;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.blockstore.store.ShardStoreStats;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.DhtNode;
import io.restfs.node.meta.BucketIndex;
import io.restfs.node.meta.BucketRecord;
import io.restfs.node.meta.DirectoryListing;
import io.restfs.node.meta.MalformedRecordException;
import io.restfs.node.meta.Manifest;
import io.restfs.node.meta.MetadataKeys;
import io.restfs.node.meta.PointerRecord;
import io.restfs.node.meta.StoredSegment;
import io.restfs.node.placement.Candidate;
import io.restfs.node.pubsub.Publisher;
import io.restfs.node.rpc.ObjectStreams;
import io.restfs.node.transfer.ShardTransferClient;

/**
 * The bucket, object, segment and cluster API of one node, acting as the gateway: it encodes what clients write
 * (segments, snappy, AES-GCM, Reed-Solomon k+m), places the shards by XOR distance over the cluster's data nodes,
 * keeps metadata in signed pointer records (BEP 44 items with compare-and-swap) that name erasure-coded manifests
 * and directory listings, and reads it all back from any k shards per segment.
 *
 * <p>Concurrency: two writers of one object race on the pointer record's sequence number. A writer that named
 * {@code expectedVersion} and lost gets {@link ErrorCode#CONFLICT}. A whole-object replace without
 * {@code expectedVersion} that loses retries on top of the winner (its data is already stored; only the manifest
 * and pointer are written again), so both writes end up as versions, in some order. Directory listings are
 * updated the same way, always retrying, since adding or removing one entry merges with any other change.
 *
 * <p>Versions: each file version's manifest names the previous one's, so history is a chain from the pointer;
 * a delete adds a tombstone version. Old versions stay listable and readable until {@link #deleteVersion} purges
 * one: the head manifest is copied with that version added to its purged list (see {@link Manifest}) and the
 * pointer swapped to the copy, and every walk skips purged versions; then the shards only that version held are
 * deleted from their holders (see {@link #deleteVersion} for why this shape and what is kept).
 *
 * <p>What the DHT cannot give: holders compare only sequence numbers, so when racing writers all lose, their
 * copies can split the holders and a reader then sees one of them (a version whose writer was told CONFLICT);
 * a racing reader can likewise build on a loser's copy, which then appears in the history. An acknowledged write
 * is never lost. A change is made in steps (data, manifest, pointer, parent listing; a rename writes the target
 * before deleting the source), so a gateway dying between steps can leave a listing behind its pointer, or a
 * renamed file under both names; shards of a put that never reached its pointer stay until a collector exists.
 */
public final class StorageService implements BucketApi, ObjectApi, SegmentApi, ClusterApi, ObjectStreams, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageService.class);

    /** Manifests and listings are coded 2+2, as zstor does for its metadata: half their holders may be lost. */
    public static final int METADATA_K = 2;
    public static final int METADATA_M = 2;
    /** Tries of a compare-and-swap before giving up with CONFLICT; each waits a little longer (random backoff). */
    static final int MAX_CAS_ATTEMPTS = 10;
    /** Upper bound of the first backoff; doubled per attempt. Loopback DHT round trips take about a millisecond. */
    static final int BACKOFF_MILLIS = 20;
    /**
     * Versions {@link #versions} walks past to reach a page's first one; each is one manifest read, so a call reads
     * at most this many plus its page ({@link Limits#MAX_PAGE}).
     */
    static final int MAX_VERSIONS_SKIPPED = 10_000;
    /** Directories walked to count a bucket's objects for {@link #info}; larger buckets report a lower bound. */
    static final int MAX_STAT_DIRECTORIES = 1_000;
    /**
     * Segments being shipped while later ones encode: each holds its k+m shards in memory (6 MiB for 4+2 over
     * 4 MiB), so four keep a put's memory near 24 MiB beyond the codec's own window.
     */
    static final int STORE_AHEAD_SEGMENTS = 4;
    /**
     * How long a bucket record read from the DHT is reused: a few seconds spare most operations a lookup and
     * bound how long another node's delete of the bucket goes unseen here.
     */
    static final long BUCKET_CACHE_MILLIS = 3_000;
    /**
     * Manifests and listings kept decoded. They never change once written (a change writes a new one under a new
     * segment id), so a cached one is never stale; 16 MiB holds the listings of directories of tens of thousands
     * of entries, or thousands of small manifests.
     */
    static final long BLOB_CACHE_BYTES = 16L << 20;
    /** Segments read ahead of the one being decoded: overlaps the network with decoding. */
    static final int READ_AHEAD_SEGMENTS = 4;
    /** Permissions recorded for files written through the API (rw-r--r--). */
    static final int DEFAULT_FILE_MODE = 0644;
    private static final Pattern BUCKET_NAME = Pattern.compile(Limits.BUCKET_NAME_PATTERN);
    /** A manifest's whole-content hash where there is none: a delete's, and a segment write's over several segments. */
    private static final byte[] NO_HASH = new byte[32];

    private final DhtNode dht;
    private final ShardStore store;
    private final MetadataKeys keys;
    private final Publisher publisher;
    private final Clock clock;
    private final SecureRandom random;
    private final ExecutorService codecThreads;
    private final ExecutorService ioThreads;
    private final ObjectCodec codec;
    private final SegmentCodec segmentCodec = new SegmentCodec();
    private final HolderView view;
    private final ShardIo shards;
    private final PointerStore pointers;
    private final java.util.Map<String, CachedBucket> bucketCache = new java.util.HashMap<>(); // guarded by itself
    private final BlobCache blobs = new BlobCache(BLOB_CACHE_BYTES);
    private final java.util.concurrent.atomic.AtomicLong shardsReclaimed = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong shardsOrphaned = new java.util.concurrent.atomic.AtomicLong();
    private Thread warmup; // guarded by this

    /**
     * @param dht        this node's DHT node; its config names this node's shard endpoint and failure group
     * @param store      this node's shard store (shards placed here are stored without the network)
     * @param client     the shard-transfer client for other nodes
     * @param clusterKey the cluster key every member holds: metadata keys derive from it
     * @param publisher  receives (topic, event) for every change: the pub/sub hub's {@code publish}
     * @param clock      for mtimes and the holder view's timers
     * @param random     segment ids, bucket keys, backoff
     * @param codecThreadCount threads encoding and decoding segments
     */
    public StorageService(DhtNode dht, ShardStore store, ShardTransferClient client, byte[] clusterKey,
            Publisher publisher, Clock clock, SecureRandom random, int codecThreadCount) {
        this(dht, store, client, clusterKey, publisher, clock, random, codecThreadCount, id -> false);
    }

    /**
     * As above, with {@code knownGone}: the members the cluster's membership knows to be dead or gone. They are
     * left out of placement and never asked for shards (a read takes the other k of k+m instead of waiting on
     * them).
     */
    public StorageService(DhtNode dht, ShardStore store, ShardTransferClient client, byte[] clusterKey,
            Publisher publisher, Clock clock, SecureRandom random, int codecThreadCount,
            Predicate<NodeId> knownGone) {
        this.dht = dht;
        this.store = store;
        this.keys = new MetadataKeys(clusterKey);
        this.publisher = publisher;
        this.clock = clock;
        this.random = random;
        this.codecThreads = Executors.newFixedThreadPool(codecThreadCount, named("restfs-storage-codec"));
        this.ioThreads = Executors.newCachedThreadPool(named("restfs-storage-io"));
        this.codec = new ObjectCodec(segmentCodec, codecThreads, 2 * codecThreadCount);
        this.view = new HolderView(dht, this::selfCandidate, clock, knownGone);
        this.shards = new ShardIo(view, store, client, ioThreads);
        this.pointers = new PointerStore(dht);
        // Peers skip nodes that advertise no room; say how much there is before anyone asks.
        dht.setFreeBytes(store.stats().freeBytes());
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private Candidate selfCandidate() {
        DhtConfig c = dht.config();
        return new Candidate(dht.id(), new InetSocketAddress(c.shardHost().isEmpty() ? "127.0.0.1" : c.shardHost(),
                c.shardPort()), c.failureGroup(), store.stats().freeBytes(), true);
    }

    // ------------------------------------------------------------------------------------------------ buckets

    /** A bucket as loaded: its record, the record's sequence number, its data key and its pointer signer. */
    private record Bucket(BucketRecord record, long seq, BucketKey key, Ed25519KeyPair signer) {
        String name() {
            return record.name();
        }

        BucketPolicy policy() {
            return record.policy();
        }
    }

    @Override
    public BucketInfo create(String name, BucketPolicy policy) {
        return guard(() -> {
            checkBucketName(name);
            BucketPolicy p = policy == null ? BucketPolicy.defaults() : policy;
            codecPolicy(p);
            Optional<PointerStore.Versioned> existing = pointers.get(keys.clusterSigner(), MetadataKeys.bucketSalt(name));
            if (existing.isPresent() && !decodeBucket(existing.get().value()).deleted()) {
                throw new RestfsException(ErrorCode.ALREADY_EXISTS, "bucket " + name + " exists");
            }
            byte[] incarnation = new byte[BucketRecord.INCARNATION_BYTES];
            random.nextBytes(incarnation);
            BucketKey key = BucketKey.generate(random);
            BucketRecord rec = new BucketRecord(name, p, keys.wrap(key, name, random), incarnation, clock.millis(), false);
            OptionalLong prev = existing.map(v -> OptionalLong.of(v.seq())).orElse(OptionalLong.empty());
            byte[] encoded = rec.encode();
            PointerStore.Outcome created = pointers.put(keys.clusterSigner(), MetadataKeys.bucketSalt(name), prev, encoded);
            if (created == PointerStore.Outcome.UNCERTAIN) {
                created = pointers.get(keys.clusterSigner(), MetadataKeys.bucketSalt(name))
                        .filter(v -> java.util.Arrays.equals(v.value(), encoded)).isPresent()
                        ? PointerStore.Outcome.STORED : PointerStore.Outcome.CONFLICT;
            }
            if (created == PointerStore.Outcome.CONFLICT) {
                throw new RestfsException(ErrorCode.ALREADY_EXISTS, "bucket " + name + " was created concurrently");
            }
            Bucket b = new Bucket(rec, prev.orElse(0) + 1, key, keys.bucketSigner(name, incarnation));
            PointerRecord root = new PointerRecord(ObjectType.DIRECTORY, 1, false, 0, rec.createdMillis(), Optional.empty());
            if (pointers.put(b.signer(), MetadataKeys.pathSalt(ObjectPaths.ROOT), OptionalLong.empty(), root.encode())
                    == PointerStore.Outcome.CONFLICT) {
                throw new RestfsException(ErrorCode.CONFLICT, "bucket " + name + ": root directory already written");
            }
            updateBucketIndex(listing -> listing.with(new DirEntry(name, ObjectType.DIRECTORY, 0, rec.createdMillis(), 1)));
            publish(name, BucketEvent.CREATED, ObjectPaths.ROOT, 1);
            log.info("bucket {} created ({}+{}, segments of {} bytes)", name, p.k(), p.m(), p.segmentSize());
            return new BucketInfo(name, p, rec.createdMillis(), 0, 0);
        });
    }

    @Override
    public List<BucketInfo> list() {
        return guard(() -> {
            List<BucketInfo> out = new ArrayList<>();
            for (DirEntry e : bucketIndex().entries()) {
                Optional<Bucket> b = findBucket(e.name());
                if (b.isPresent()) {
                    out.add(bucketInfo(b.get()));
                }
            }
            return out;
        });
    }

    @Override
    public BucketInfo info(String name) {
        return guard(() -> bucketInfo(bucket(name)));
    }

    @Override
    public void delete(String name) {
        guard(() -> {
            checkBucketName(name);
            // Fresh, not cached: the swap below needs the record's current sequence number.
            Bucket b = findBucket(name).orElseThrow(() -> new RestfsException(ErrorCode.NOT_FOUND, "no bucket " + name));
            if (!listing(b, ObjectPaths.ROOT).entries().isEmpty()) {
                throw new RestfsException(ErrorCode.NOT_EMPTY, "bucket " + name + " is not empty");
            }
            PointerStore.Outcome deleted = pointers.put(keys.clusterSigner(), MetadataKeys.bucketSalt(name),
                    OptionalLong.of(b.seq()), b.record().asDeleted().encode());
            if (deleted == PointerStore.Outcome.CONFLICT
                    || (deleted == PointerStore.Outcome.UNCERTAIN && findBucket(name).isPresent())) {
                throw new RestfsException(ErrorCode.CONFLICT, "bucket " + name + " changed while being deleted");
            }
            forgetBucket(name);
            updateBucketIndex(listing -> listing.without(name));
            publish(name, BucketEvent.DELETED, ObjectPaths.ROOT, 0);
            log.info("bucket {} deleted", name);
            return null;
        });
    }

    private BucketInfo bucketInfo(Bucket b) {
        long[] counts = new long[2];
        ArrayDeque<String> dirs = new ArrayDeque<>(List.of(ObjectPaths.ROOT));
        int walked = 0;
        while (!dirs.isEmpty() && walked++ < MAX_STAT_DIRECTORIES) {
            String dir = dirs.poll();
            for (DirEntry e : listing(b, dir).entries()) {
                counts[0]++;
                if (e.type() == ObjectType.DIRECTORY) {
                    dirs.add(child(dir, e.name()));
                } else {
                    counts[1] += e.size();
                }
            }
        }
        return new BucketInfo(b.name(), b.policy(), b.record().createdMillis(), counts[0], counts[1]);
    }

    private static void checkBucketName(String name) {
        if (name == null || !BUCKET_NAME.matcher(name).matches()) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "bad bucket name " + name + ": 3 to 63 of a-z, 0-9"
                    + " and -, starting and ending with a letter or digit");
        }
    }

    /**
     * The bucket, from the cache when it was read in the last {@link #BUCKET_CACHE_MILLIS}: every call needs the
     * bucket record, and each DHT read is a lookup. A bucket deleted through another node is seen as gone within
     * that time.
     */
    private Bucket bucket(String name) {
        checkBucketName(name);
        long now = clock.millis();
        synchronized (bucketCache) {
            CachedBucket c = bucketCache.get(name);
            if (c != null && now < c.expiresMillis()) {
                return c.bucket();
            }
        }
        Bucket b = findBucket(name).orElseThrow(() -> new RestfsException(ErrorCode.NOT_FOUND, "no bucket " + name));
        synchronized (bucketCache) {
            bucketCache.put(name, new CachedBucket(b, now + BUCKET_CACHE_MILLIS));
        }
        return b;
    }

    private void forgetBucket(String name) {
        synchronized (bucketCache) {
            bucketCache.remove(name);
        }
    }

    private record CachedBucket(Bucket bucket, long expiresMillis) {
    }

    private Optional<Bucket> findBucket(String name) {
        Optional<PointerStore.Versioned> v = pointers.get(keys.clusterSigner(), MetadataKeys.bucketSalt(name));
        if (v.isEmpty()) {
            return Optional.empty();
        }
        BucketRecord rec = decodeBucket(v.get().value());
        if (rec.deleted() || !rec.name().equals(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Bucket(rec, v.get().seq(), keys.unwrap(rec.wrappedKey(), name),
                    keys.bucketSigner(name, rec.incarnation())));
        } catch (GeneralSecurityException e) {
            throw new RestfsException(ErrorCode.INTEGRITY, "bucket " + name + ": its key does not unwrap with this"
                    + " cluster's key", e);
        }
    }

    private static BucketRecord decodeBucket(byte[] value) {
        try {
            return BucketRecord.decode(value);
        } catch (MalformedRecordException e) {
            throw new RestfsException(ErrorCode.INTEGRITY, e.getMessage(), e);
        }
    }

    private DirectoryListing bucketIndex() {
        Optional<PointerStore.Versioned> v = pointers.get(keys.clusterSigner(), MetadataKeys.bucketIndexSalt());
        if (v.isEmpty()) {
            return DirectoryListing.EMPTY;
        }
        BucketIndex index = decode(() -> BucketIndex.decode(v.get().value()));
        return index.listing().map(ref -> decode(() -> DirectoryListing.decode(readBlob(ref))))
                .orElse(DirectoryListing.EMPTY);
    }

    private void updateBucketIndex(UnaryOperator<DirectoryListing> change) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Optional<PointerStore.Versioned> v = pointers.get(keys.clusterSigner(), MetadataKeys.bucketIndexSalt());
            BucketIndex index = v.map(x -> decode(() -> BucketIndex.decode(x.value()))).orElse(new BucketIndex(0, Optional.empty()));
            DirectoryListing current = index.listing().map(ref -> decode(() -> DirectoryListing.decode(readBlob(ref))))
                    .orElse(DirectoryListing.EMPTY);
            DirectoryListing next = change.apply(current);
            if (next.equals(current)) {
                return;
            }
            Optional<StoredSegment> ref = next.entries().isEmpty() ? Optional.empty()
                    : Optional.of(writeBlob(next.encode()));
            BucketIndex updated = new BucketIndex(index.version() + 1, ref);
            OptionalLong prev = v.map(x -> OptionalLong.of(x.seq())).orElse(OptionalLong.empty());
            PointerStore.Outcome outcome = pointers.put(keys.clusterSigner(), MetadataKeys.bucketIndexSalt(), prev,
                    updated.encode());
            if (outcome == PointerStore.Outcome.STORED) {
                return;
            }
            if (outcome == PointerStore.Outcome.CONFLICT) {
                backoff(attempt);
            }
            // UNCERTAIN: the next round re-reads and finds the change made or not.
        }
        throw new RestfsException(ErrorCode.CONFLICT, "the bucket index kept changing; gave up after "
                + MAX_CAS_ATTEMPTS + " tries");
    }

    // ------------------------------------------------------------------------------------------------ objects

    /** A pointer record as read, with its sequence number. */
    private record Pointer(long seq, PointerRecord record, byte[] raw) {
        boolean live() {
            return !record.deleted();
        }

        boolean liveDirectory() {
            return live() && record.type() == ObjectType.DIRECTORY;
        }

        boolean liveFile() {
            return live() && record.type() == ObjectType.FILE;
        }
    }

    @Override
    public ObjectInfo put(String bucket, String path, byte[] data, Long expectedVersion) {
        if (data != null && data.length > Limits.MAX_INLINE_BODY_BYTES) {
            throw new RestfsException(ErrorCode.TOO_LARGE, "inline body of " + data.length + " bytes exceeds "
                    + Limits.MAX_INLINE_BODY_BYTES + "; use the streaming endpoint");
        }
        return put(bucket, path, new ByteArrayInputStream(data == null ? new byte[0] : data), expectedVersion);
    }

    /**
     * Writes a new version of a file from {@code in}, read to its end and never held whole: each segment is
     * encoded and its shards stored as soon as it is read. Missing parent directories are created.
     *
     * @param expectedVersion as for {@link #put(String, String, byte[], Long)}
     */
    public ObjectInfo put(String bucket, String path, InputStream in, Long expectedVersion) {
        return guard(() -> {
            try {
                return putStream(bucket, path, in, expectedVersion);
            } catch (IOException e) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "reading the body failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * {@link ObjectStreams#put}: exactly {@code length} bytes of {@code body}; a body that ends early stores no
     * version ({@link ErrorCode#INVALID_PARAMS}).
     */
    @Override
    public ObjectInfo put(String bucket, String path, InputStream body, long length, Long expectedVersion)
            throws IOException {
        if (length < 0) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "body length must be >= 0: " + length);
        }
        return guardIo(() -> putStream(bucket, path, new ExactLength(body, length), expectedVersion));
    }

    private ObjectInfo putStream(String bucket, String path, InputStream in, Long expectedVersion) throws IOException {
        Bucket b = bucket(bucket);
        String p = ObjectPaths.normalize(path);
        if (p.equals(ObjectPaths.ROOT)) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "cannot write the root directory");
        }
        // The object's pointer and its parent's are read while the data is encoded and stored: neither read
        // decides anything the data depends on, and both are only the first guesses of compare-and-swaps.
        String parent = ObjectPaths.parent(p);
        CompletableFuture<Optional<Pointer>> currentRead = readPointerAsync(b, p);
        CompletableFuture<Optional<Pointer>> parentRead = readPointerAsync(b, parent);
        if (expectedVersion != null) {
            // Fail before storing any data when the check already fails.
            checkExpected(b, p, join(currentRead), expectedVersion);
        }
        Optional<Pointer> parentDir = join(parentRead).filter(Pointer::liveDirectory);
        if (parentDir.isEmpty()) {
            mkdirs(b, parent);
        }
        MessageDigest sha = sha256();
        StoredData data = storeData(b, new DigestInputStream(in, sha));
        byte[] hash = sha.digest();
        long mtime = clock.millis();
        return commitFile(b, p, currentRead, parentDir, expectedVersion, (current, version, previous) -> new Manifest(
                version, false, mtime, data.size(), DEFAULT_FILE_MODE, "", hash, data.segments(), previous));
    }

    /** What {@link #storeData} stored: the segments in order and the bytes they hold. */
    private record StoredData(List<StoredSegment> segments, long size) {
    }

    /**
     * Reads {@code in} to its end, cutting it into the bucket's segments, encoding each and storing its shards as
     * soon as it is read (placed by XOR distance over the data nodes); never holds the whole body.
     */
    private StoredData storeData(Bucket b, InputStream in) throws IOException {
        CodecPolicy policy = codecPolicy(b.policy());
        List<StoredSegment> segments = new ArrayList<>();
        ArrayDeque<CompletableFuture<StoredSegment>> storing = new ArrayDeque<>();
        long size;
        try {
            size = codec.encode(in, policy, b.key(), () -> SegmentId.random(random), seg -> {
                // Ship segments while the next ones encode, a few at a time (bounded memory).
                storing.add(CompletableFuture.supplyAsync(() -> shards.store(seg, b.policy().allowDoubleUp()),
                        ioThreads));
                if (storing.size() > STORE_AHEAD_SEGMENTS) {
                    segments.add(join(storing.poll()));
                }
            });
            while (!storing.isEmpty()) {
                segments.add(join(storing.poll()));
            }
        } finally {
            for (CompletableFuture<StoredSegment> f : storing) {
                f.handle((v, e) -> null).join();
            }
        }
        return new StoredData(segments, size);
    }

    /**
     * The manifest of the version a write makes on top of {@code current} (the object's pointer as just read), as
     * {@code version} with {@code previous} (the current file version's manifest, if any) before it. Called again
     * after each lost swap, with the winner as {@code current}.
     */
    private interface NextVersion {
        Manifest on(Optional<Pointer> current, long version, Optional<StoredSegment> previous);
    }

    /**
     * Makes file {@code p}'s next version: writes the manifest {@code next} builds and swaps the pointer to it with
     * compare-and-swap, then lists it in its parent and publishes the change. A swap lost to another writer is
     * {@link ErrorCode#CONFLICT} when {@code expectedVersion} is set, and is otherwise tried again on top of the
     * winner. {@code currentRead} is the first read of the pointer, {@code parentDir} the parent directory's pointer
     * when it was read live (its new listing is then written while the pointer is swapped).
     */
    private ObjectInfo commitFile(Bucket b, String p, CompletableFuture<Optional<Pointer>> currentRead,
            Optional<Pointer> parentDir, Long expectedVersion, NextVersion next) {
        String parent = ObjectPaths.parent(p);
        byte[] rejected = null;
        for (int attempt = 0; ; attempt++) {
            Optional<Pointer> current = attempt == 0 ? join(currentRead) : readPointer(b, p);
            if (rejected != null && current.isPresent() && java.util.Arrays.equals(current.get().raw(), rejected)
                    && attempt + 1 < MAX_CAS_ATTEMPTS) {
                // Our own losing copy, read before the winner replaced it: wait for the winner's.
                backoff(attempt);
                continue;
            }
            if (expectedVersion != null) {
                checkExpected(b, p, current, expectedVersion);
            }
            if (current.isPresent() && current.get().liveDirectory()) {
                throw new RestfsException(ErrorCode.CONFLICT, b.name() + p + " is a directory");
            }
            long version = current.map(c -> c.record().version()).orElse(0L) + 1;
            Optional<StoredSegment> previous = current.filter(c -> c.record().type() == ObjectType.FILE)
                    .flatMap(c -> c.record().ref());
            Manifest m = next.on(current, version, previous);
            StoredSegment ref = writeBlob(m.encode());
            PointerRecord rec = new PointerRecord(ObjectType.FILE, version, false, m.size(), m.mtimeMillis(),
                    Optional.of(ref));
            DirEntry entry = new DirEntry(ObjectPaths.name(p), ObjectType.FILE, m.size(), m.mtimeMillis(), version);
            // The parent's new listing is written while the pointer is swapped; it is only swapped in (with
            // compare-and-swap on the parent) once the pointer is, and is otherwise left unreferenced.
            Optional<CompletableFuture<ListingChange>> listing = attempt == 0
                    ? parentDir.map(dir -> CompletableFuture.supplyAsync(
                            () -> prepareListing(b, dir, addition(entry)), ioThreads))
                    : Optional.empty();
            PointerStore.Outcome outcome = writePointer(b, p, current, rec);
            if (outcome == PointerStore.Outcome.STORED
                    || (outcome == PointerStore.Outcome.UNCERTAIN && chainHolds(b, p, ref, version))) {
                updateListing(b, parent, addition(entry), listing);
                boolean created = current.isEmpty() || !current.get().live();
                publish(b.name(), created ? BucketEvent.CREATED : BucketEvent.CHANGED, p, version);
                return info(b, p, m);
            }
            rejected = rec.encode();
            if (expectedVersion != null || attempt + 1 >= MAX_CAS_ATTEMPTS) {
                throw new RestfsException(ErrorCode.CONFLICT, b.name() + p + " was written concurrently"
                        + (expectedVersion != null ? " (expected version " + expectedVersion + ")" : ""));
            }
            backoff(attempt);
        }
    }

    private static void checkExpected(Bucket b, String p, Optional<Pointer> current, long expected) {
        long actual = current.filter(Pointer::live).map(c -> c.record().version()).orElse(0L);
        if (actual != expected) {
            throw new RestfsException(ErrorCode.CONFLICT, b.name() + p + " is at version " + actual
                    + ", not the expected " + expected);
        }
    }

    @Override
    public byte[] get(String bucket, String path, Long version) {
        return guard(() -> {
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            Manifest m = manifest(b, p, version);
            if (m.size() > Limits.MAX_INLINE_BODY_BYTES) {
                throw new RestfsException(ErrorCode.TOO_LARGE, bucket + p + " is " + m.size()
                        + " bytes, over the inline limit of " + Limits.MAX_INLINE_BODY_BYTES + "; use the streaming endpoint");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) m.size());
            try {
                read(b, p, m, 0, -1, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        });
    }

    /**
     * Writes bytes {@code [offset, offset + length)} of a file version (newest when {@code version} is null) to
     * {@code out}; {@code length} -1 reads to the end. Segments are fetched a few ahead and decoded in parallel.
     *
     * @return the version read, so a caller can send its size and hash before the body
     */
    @Override
    public void get(String bucket, String path, Long version, long offset, long length, OutputStream out)
            throws IOException {
        guardIo(() -> getStream(bucket, path, version, offset, length, out));
    }

    private ObjectInfo getStream(String bucket, String path, Long version, long offset, long length, OutputStream out)
            throws IOException {
        Bucket b = bucket(bucket);
        String p = ObjectPaths.normalize(path);
        return read(b, p, manifest(b, p, version), offset, length, out);
    }

    private ObjectInfo read(Bucket b, String p, Manifest m, long offset, long length, OutputStream out)
            throws IOException {
        {
            if (offset < 0 || offset > m.size() || length < -1) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "range " + offset + "+" + length + " outside "
                        + b.name() + p + " (" + m.size() + " bytes)");
            }
            long end = length == -1 ? m.size() : Math.min(m.size(), offset + length);
            List<StoredSegment> wanted = new ArrayList<>();
            long segStart = 0;
            long skip = 0;
            for (StoredSegment s : m.segments()) {
                long segEnd = segStart + s.length();
                if (segEnd > offset && segStart < end) {
                    if (wanted.isEmpty()) {
                        skip = offset - segStart;
                    }
                    wanted.add(s);
                }
                segStart = segEnd;
            }
            OutputStream sliced = new Slice(out, skip, end - offset);
            codec.decode(() -> new ReadAhead(wanted), b.key(), sliced);
            sliced.flush();
            return info(b, p, m);
        }
    }

    @Override
    public ObjectInfo stat(String bucket, String path, Long version) {
        return guard(() -> {
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            Pointer ptr = readPointer(b, p).filter(x -> version != null || x.live())
                    .orElseThrow(() -> notFound(b, p));
            if (ptr.record().type() == ObjectType.DIRECTORY) {
                if (!ptr.live() || (version != null && version != ptr.record().version())) {
                    throw notFound(b, p);
                }
                return dirInfo(b, p, ptr.record());
            }
            return info(b, p, manifest(b, p, version));
        });
    }

    @Override
    public List<DirEntry> list(String bucket, String path, String after, Integer limit) {
        return guard(() -> {
            Paging.afterName(after);
            Paging.limit(limit);
            Bucket b = bucket(bucket);
            return Paging.entriesAfter(listing(b, ObjectPaths.normalize(path)).entries(), after, limit);
        });
    }

    @Override
    public ObjectInfo mkdir(String bucket, String path) {
        return guard(() -> {
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            Optional<Pointer> existing = readPointer(b, p);
            if (existing.isPresent() && existing.get().live()) {
                throw new RestfsException(ErrorCode.ALREADY_EXISTS, b.name() + p + " exists");
            }
            mkdirs(b, p);
            return dirInfo(b, p, readPointer(b, p).orElseThrow(() -> notFound(b, p)).record());
        });
    }

    @Override
    public ObjectInfo rename(String bucket, String from, String to) {
        return guard(() -> {
            Bucket b = bucket(bucket);
            String src = ObjectPaths.normalize(from);
            String dst = ObjectPaths.normalize(to);
            if (src.equals(ObjectPaths.ROOT) || ObjectPaths.within(dst, src)) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "cannot move " + src + " to " + dst);
            }
            Pointer source = readPointer(b, src).filter(Pointer::live).orElseThrow(() -> notFound(b, src));
            if (source.liveDirectory() && source.record().ref().isPresent()
                    && !listing(b, src).entries().isEmpty()) {
                throw new RestfsException(ErrorCode.NOT_EMPTY, b.name() + src + " is a directory that is not empty");
            }
            Optional<Pointer> target = readPointer(b, dst);
            if (target.isPresent() && target.get().live()) {
                throw new RestfsException(ErrorCode.ALREADY_EXISTS, b.name() + dst + " exists");
            }
            readPointer(b, ObjectPaths.parent(dst)).filter(Pointer::liveDirectory)
                    .orElseThrow(() -> new RestfsException(ErrorCode.NOT_FOUND, "no directory " + b.name()
                            + ObjectPaths.parent(dst)));
            long mtime = clock.millis();
            long version = target.map(t -> t.record().version()).orElse(0L) + 1;
            PointerRecord rec;
            if (source.record().type() == ObjectType.FILE) {
                Manifest m = readManifest(source.record().ref().orElseThrow());
                Optional<StoredSegment> previous = target.filter(t -> t.record().type() == ObjectType.FILE)
                        .flatMap(t -> t.record().ref());
                // Flagged: its segments are now also the source's history's, so purging a version never deletes them.
                Manifest moved = new Manifest(version, false, mtime, m.size(), m.mode(), m.owner(), m.sha256(),
                        m.segments(), previous, true, List.of());
                rec = new PointerRecord(ObjectType.FILE, version, false, m.size(), mtime,
                        Optional.of(writeBlob(moved.encode())));
            } else {
                rec = new PointerRecord(ObjectType.DIRECTORY, version, false, 0, mtime, Optional.empty());
            }
            PointerStore.Outcome outcome = writePointer(b, dst, target, rec);
            if (outcome == PointerStore.Outcome.UNCERTAIN) {
                boolean ours = rec.type() == ObjectType.FILE ? chainHolds(b, dst, rec.ref().orElseThrow(), version)
                        : readPointer(b, dst).filter(Pointer::liveDirectory)
                                .filter(x -> x.record().version() >= version).isPresent();
                outcome = ours ? PointerStore.Outcome.STORED : PointerStore.Outcome.CONFLICT;
            }
            if (outcome == PointerStore.Outcome.CONFLICT) {
                throw new RestfsException(ErrorCode.CONFLICT, b.name() + dst + " was created concurrently");
            }
            addToParent(b, dst, new DirEntry(ObjectPaths.name(dst), rec.type(), rec.size(), mtime, version));
            publish(b.name(), BucketEvent.CREATED, dst, version);
            remove(b, src, source, true);
            return stat(bucket, dst, null);
        });
    }

    @Override
    public void delete(String bucket, String path) {
        guard(() -> {
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            if (p.equals(ObjectPaths.ROOT)) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "the root directory cannot be deleted; delete the"
                        + " bucket");
            }
            Pointer ptr = readPointer(b, p).filter(Pointer::live).orElseThrow(() -> notFound(b, p));
            remove(b, p, ptr, false);
            return null;
        });
    }

    /**
     * Records a delete of {@code p} (a tombstone version for a file) and drops it from its parent's listing.
     * {@code renamed}: the delete is a rename's, so the tombstone is flagged as the record that the version below it
     * moved to another path.
     */
    private void remove(Bucket b, String p, Pointer ptr, boolean renamed) {
        for (int attempt = 0; ; attempt++) {
            PointerRecord r = ptr.record();
            if (r.type() == ObjectType.DIRECTORY && r.ref().isPresent() && !listing(b, p).entries().isEmpty()) {
                throw new RestfsException(ErrorCode.NOT_EMPTY, b.name() + p + " is a directory that is not empty");
            }
            long version = r.version() + 1;
            long mtime = clock.millis();
            Optional<StoredSegment> ref = Optional.empty();
            if (r.type() == ObjectType.FILE) {
                Manifest tombstone = new Manifest(version, true, mtime, 0, 0, "", NO_HASH, List.of(), r.ref(),
                        renamed, List.of());
                ref = Optional.of(writeBlob(tombstone.encode()));
            }
            PointerStore.Outcome outcome = writePointer(b, p, Optional.of(ptr),
                    new PointerRecord(r.type(), version, true, 0, mtime, ref));
            if (outcome == PointerStore.Outcome.UNCERTAIN) {
                outcome = readPointer(b, p).filter(x -> !x.live() && x.record().version() >= version).isPresent()
                        ? PointerStore.Outcome.STORED : PointerStore.Outcome.CONFLICT;
            }
            if (outcome == PointerStore.Outcome.STORED) {
                removeFromParent(b, p, version);
                publish(b.name(), BucketEvent.DELETED, p, version);
                return;
            }
            if (attempt + 1 >= MAX_CAS_ATTEMPTS) {
                throw new RestfsException(ErrorCode.CONFLICT, b.name() + p + " kept changing while being deleted");
            }
            backoff(attempt);
            ptr = readPointer(b, p).filter(Pointer::live).orElseThrow(() -> notFound(b, p));
        }
    }

    @Override
    public List<ObjectVersion> versions(String bucket, String path, Long after, Integer limit) {
        return guard(() -> {
            Paging.afterVersion(after);
            int max = Paging.limit(limit);
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            Pointer ptr = readPointer(b, p).orElseThrow(() -> notFound(b, p));
            PointerRecord r = ptr.record();
            if (r.type() == ObjectType.DIRECTORY) {
                return after != null && r.version() >= after ? List.of()
                        : List.of(new ObjectVersion(r.version(), 0, r.mtimeMillis(), "", r.deleted()));
            }
            List<ObjectVersion> out = new ArrayList<>();
            int skipped = 0;
            for (ChainLink link : chain(r.ref())) {
                Manifest m = link.manifest();
                if (link.purged()) {
                    // A purged version stays in the chain as a link; it is not listed.
                } else if (after != null && m.version() >= after) {
                    if (++skipped > MAX_VERSIONS_SKIPPED) {
                        throw new RestfsException(ErrorCode.TOO_LARGE, b.name() + p + ": versions before " + after
                                + " are more than " + MAX_VERSIONS_SKIPPED + " back from the newest; a page may"
                                + " start at most that far back");
                    }
                } else {
                    out.add(new ObjectVersion(m.version(), m.size(), m.mtimeMillis(), hashHex(m), m.deleted()));
                    if (out.size() >= max) {
                        break;
                    }
                }
            }
            return out;
        });
    }

    /**
     * Deletes one old version of a file for good: it leaves {@link #versions} and reading it is NOT_FOUND, and the
     * shards only it referenced are deleted from their holders.
     *
     * <p>Why a purged list in the head manifest rather than rewriting the chain: each manifest names the one below
     * it by its stored segment, so taking a version out of the chain means rewriting every manifest above it, which
     * is as many metadata writes as there are newer versions (purging the oldest of a long history, the common
     * case, rewrites all of it). Instead the head manifest is copied with the version added to its purged list and
     * the pointer is swapped to the copy with compare-and-swap, like every other write: one manifest write whatever
     * the depth, and a writer racing it loses the swap and retries on top of it as it would against any write. The
     * pointer's version stays (no new version is made); the purged version's manifest stays in the chain, as the
     * link between its neighbours, and walks skip it. Versions of the head manifest written later keep the list
     * below them, where every walk from the pointer passes it first.
     *
     * <p>Refused: the newest version (the object's current state: delete the object or write a new version first;
     * once the object is deleted its newest version is the delete, so every data version can be purged), unknown
     * and already purged versions (NOT_FOUND), directories, and a version a rename shares with another path (its
     * segments are listed by both paths' histories, so neither may delete them, and purging it would also hide
     * from this path's later versions that they hold them).
     *
     * <p>Space: only after the swap commits are the shards of the purged version's data segments that no remaining
     * version of the file lists deleted (compared by content address, the shard's SHA-256; a segment write makes
     * a version that lists the previous one's other segments), and the superseded head manifest's shards. Shards
     * of different segments never coincide, since each shard's header carries its segment's random id. A segment
     * is listed by two paths only after a rename, and then by the version the rename moved on both sides (and by
     * versions a segment write made on top of it, which also list it); that version can never be purged, so
     * checking the one file's chain keeps every shard another path still reads. Deleting is best effort: a
     * holder that does not answer keeps an orphan, logged and counted ({@link #shardsOrphaned}).
     *
     * <p>Costs and limits: the whole chain is walked (one manifest read per version, most of them cached), and the
     * head manifest grows by 8 bytes per purged version. A read that read the pointer just before the swap may find
     * the replaced head manifest already deleted and fail UNAVAILABLE; read again, it finds the new one.
     */
    @Override
    public void deleteVersion(String bucket, String path, Long version) {
        guard(() -> {
            if (version == null || version < 1) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "version must be 1 or more, not " + version);
            }
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            // Head manifests this call's attempts replaced or wrote: deleted at the end unless the chain names them.
            List<StoredSegment> heads = new ArrayList<>();
            for (int attempt = 0; ; attempt++) {
                Pointer ptr = readPointer(b, p).orElseThrow(() -> notFound(b, p));
                if (ptr.record().type() != ObjectType.FILE) {
                    throw new RestfsException(ErrorCode.INVALID_PARAMS, b.name() + p + " is a directory; only a"
                            + " file's old versions can be deleted");
                }
                StoredSegment headRef = ptr.record().ref().orElseThrow(() -> new RestfsException(ErrorCode.INTEGRITY,
                        b.name() + p + " version " + ptr.record().version() + " names no manifest"));
                List<ChainLink> chain = history(headRef);
                if (attempt > 0 && chain.stream().anyMatch(l -> l.purged() && l.manifest().version() == version)) {
                    // An earlier attempt's swap landed after all (it came back uncertain, or a racing write built on
                    // its copy), or a racing delete of the same version did: either way the version is gone now.
                    reclaim(b, p, chain, version, heads);
                    return null;
                }
                if (attempt >= MAX_CAS_ATTEMPTS) {
                    throw new RestfsException(ErrorCode.CONFLICT, b.name() + p + " kept changing while version "
                            + version + " was being deleted");
                }
                int at = purgeable(b, p, chain, version);
                Manifest head = chain.get(0).manifest().purging(version);
                StoredSegment newHead = writeBlob(head.encode());
                heads.add(headRef);
                heads.add(newHead);
                PointerRecord r = ptr.record();
                PointerStore.Outcome outcome = writePointer(b, p, Optional.of(ptr), new PointerRecord(r.type(),
                        r.version(), r.deleted(), r.size(), r.mtimeMillis(), Optional.of(newHead)));
                if (outcome == PointerStore.Outcome.STORED) {
                    List<ChainLink> after = new ArrayList<>(chain);
                    after.set(0, new ChainLink(newHead, head, false));
                    after.set(at, new ChainLink(chain.get(at).ref(), chain.get(at).manifest(), true));
                    reclaim(b, p, after, version, heads);
                    return null;
                }
                if (outcome == PointerStore.Outcome.CONFLICT) {
                    backoff(attempt);
                }
                // UNCERTAIN: a head replaced since cannot tell whether ours was in between (a racing version delete
                // copies the head rather than chaining on it), so the next round's read decides: purged or not.
            }
        });
    }

    /** One manifest of a file's chain, as walked from the pointer: where it is stored and whether it is purged. */
    private record ChainLink(StoredSegment ref, Manifest manifest, boolean purged) {
    }

    /** Every manifest of the chain from {@code head} down to the first version, purged ones included. */
    private List<ChainLink> history(StoredSegment head) {
        List<ChainLink> out = new ArrayList<>();
        chain(Optional.of(head)).forEach(out::add);
        return out;
    }

    /**
     * A file's version chain from {@code head} down, each manifest read only when the walk reaches it; a link is
     * purged when a manifest at or above it lists its version as purged.
     */
    private Iterable<ChainLink> chain(Optional<StoredSegment> head) {
        return () -> new java.util.Iterator<>() {
            private Optional<StoredSegment> next = head;
            private final java.util.Set<Long> purged = new java.util.HashSet<>();

            @Override
            public boolean hasNext() {
                return next.isPresent();
            }

            @Override
            public ChainLink next() {
                StoredSegment ref = next.orElseThrow(java.util.NoSuchElementException::new);
                Manifest m = readManifest(ref);
                purged.addAll(m.purged());
                next = m.previous();
                return new ChainLink(ref, m, purged.contains(m.version()));
            }
        };
    }

    /** Where in {@code chain} {@code version} is, refusing it when it cannot be purged (see {@link #deleteVersion}). */
    private static int purgeable(Bucket b, String p, List<ChainLink> chain, long version) {
        long newest = chain.get(0).manifest().version();
        if (version == newest) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "version " + version + " is the newest version of "
                    + b.name() + p + "; delete the object (object.delete) or write a new version first, then delete"
                    + " this one");
        }
        for (int i = 1; i < chain.size(); i++) {
            Manifest m = chain.get(i).manifest();
            if (m.version() != version || chain.get(i).purged()) {
                continue;
            }
            Manifest above = chain.get(i - 1).manifest();
            String shared = null;
            if (m.renamed() && !m.deleted()) {
                shared = "came from a rename, so its segments are also the source path's";
            } else if (m.renamed()) {
                shared = "records the rename of the version below it to another path";
            } else if (above.renamed() && above.deleted()) {
                shared = "was moved to another path by a rename (version " + above.version() + ") and its segments"
                        + " are that path's too";
            }
            if (shared != null) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, b.name() + p + " version " + version + " "
                        + shared + "; it cannot be deleted");
            }
            return i;
        }
        throw new RestfsException(ErrorCode.NOT_FOUND, b.name() + p + " has no version " + version
                + (version > newest ? " (the newest is " + newest + ")" : ""));
    }

    /**
     * After {@code version} was purged in {@code chain} (the file's chain as now known): deletes the shards of its
     * segments that no remaining version lists, and those of the head manifests in {@code heads} that the chain no
     * longer names (the one the purge replaced, and copies lost attempts wrote). Best effort.
     */
    private void reclaim(Bucket b, String p, List<ChainLink> chain, long version, List<StoredSegment> heads) {
        java.util.Set<io.restfs.blockstore.store.Sha256> kept = new java.util.HashSet<>();
        java.util.Set<SegmentId> linked = new java.util.HashSet<>();
        Manifest purged = null;
        for (ChainLink link : chain) {
            linked.add(link.ref().id());
            if (link.purged() && link.manifest().version() == version && purged == null) {
                purged = link.manifest();
            } else if (!link.purged()) {
                for (StoredSegment s : link.manifest().segments()) {
                    s.shards().forEach(ref -> kept.add(ref.sha256()));
                }
            }
        }
        List<ShardIo.Reclaimed> results = new ArrayList<>();
        int segments = 0;
        for (StoredSegment s : purged == null ? List.<StoredSegment>of() : purged.segments()) {
            List<io.restfs.node.meta.ShardRef> own = s.shards().stream().filter(ref -> !kept.contains(ref.sha256()))
                    .toList();
            if (!own.isEmpty()) {
                segments++;
                results.add(shards.delete(s, own));
            }
        }
        for (StoredSegment head : heads) {
            if (linked.add(head.id())) {
                results.add(shards.delete(head, head.shards()));
            }
        }
        int deleted = results.stream().mapToInt(ShardIo.Reclaimed::deleted).sum();
        int orphaned = results.stream().mapToInt(ShardIo.Reclaimed::orphaned).sum();
        shardsReclaimed.addAndGet(deleted);
        shardsOrphaned.addAndGet(orphaned);
        log.info("{}{} version {} deleted: {} shards of {} segments of its own and of replaced head manifests"
                + " deleted, {} left behind", b.name(), p, version, deleted, segments, orphaned);
    }

    /** Shards deleted from their holders after version deletes since this service started. */
    public long shardsReclaimed() {
        return shardsReclaimed.get();
    }

    /** Shards a version delete should have deleted but could not (holder unknown or down): orphans on disk. */
    public long shardsOrphaned() {
        return shardsOrphaned.get();
    }

    // ------------------------------------------------------------------------------------------------ segments

    @Override
    public byte[] get(String bucket, String path, Long version, int index) {
        return guard(() -> {
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            Manifest m = manifest(b, p, version);
            if (index < 0 || index >= m.segments().size()) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, b.name() + p + " version " + m.version()
                        + " has " + m.segments().size() + " segments, no segment " + index);
            }
            StoredSegment s = m.segments().get(index);
            if (s.length() > Limits.MAX_INLINE_BODY_BYTES) {
                long offset = 0;
                for (int i = 0; i < index; i++) {
                    offset += m.segments().get(i).length();
                }
                throw new RestfsException(ErrorCode.TOO_LARGE, "segment " + index + " of " + b.name() + p + " is "
                        + s.length() + " bytes, over the inline limit of " + Limits.MAX_INLINE_BODY_BYTES
                        + "; read bytes " + offset + "-" + (offset + s.length() - 1) + " from the streaming endpoint");
            }
            return decodeSegment(s, b.key());
        });
    }

    @Override
    public ObjectInfo put(String bucket, String path, int index, byte[] data, Long expectedVersion) {
        return guard(() -> {
            if (data == null || data.length == 0) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "segment " + index + ": no data; a segment holds"
                        + " at least one byte");
            }
            if (data.length > Limits.MAX_INLINE_BODY_BYTES) {
                throw new RestfsException(ErrorCode.TOO_LARGE, "segment of " + data.length + " bytes exceeds the"
                        + " inline limit of " + Limits.MAX_INLINE_BODY_BYTES);
            }
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            CompletableFuture<Optional<Pointer>> currentRead = readPointerAsync(b, p);
            CompletableFuture<Optional<Pointer>> parentRead = readPointerAsync(b, ObjectPaths.parent(p));
            // Fail before storing any data when the write is refused already; each retry checks again.
            if (expectedVersion != null) {
                checkExpected(b, p, join(currentRead), expectedVersion);
            }
            segmentWriteBase(b, p, join(currentRead), index, data.length);
            Optional<Pointer> parentDir = join(parentRead).filter(Pointer::liveDirectory);
            StoredSegment written;
            try {
                written = storeData(b, new ByteArrayInputStream(data)).segments().get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] hash = sha256().digest(data);
            long mtime = clock.millis();
            return commitFile(b, p, currentRead, parentDir, expectedVersion, (current, version, previous) -> {
                Manifest base = segmentWriteBase(b, p, current, index, data.length);
                List<StoredSegment> segments = new ArrayList<>(base.segments());
                long size = base.size() + data.length;
                if (index < segments.size()) {
                    size -= segments.set(index, written).length();
                } else {
                    segments.add(written);
                }
                return new Manifest(version, false, mtime, size, base.mode(), base.owner(),
                        segments.size() == 1 ? hash : NO_HASH, segments, previous);
            });
        });
    }

    /**
     * The manifest that writing {@code length} bytes as segment {@code index} of file {@code p} builds on, read
     * from its pointer {@code current}; refuses the write when the file or the segment's place in it does not allow
     * it (see {@link SegmentApi#put}).
     */
    private Manifest segmentWriteBase(Bucket b, String p, Optional<Pointer> current, int index, int length) {
        Pointer ptr = current.filter(Pointer::live).orElseThrow(() -> new RestfsException(ErrorCode.NOT_FOUND,
                "no file " + b.name() + p + "; create it with object.put before writing its segments"));
        if (ptr.record().type() != ObjectType.FILE) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, b.name() + p + " is a directory; it has no segments");
        }
        int full = b.policy().segmentSize();
        if (length > full) {
            throw new RestfsException(ErrorCode.TOO_LARGE, "segment of " + length + " bytes exceeds " + b.name()
                    + "'s segment size of " + full);
        }
        Manifest m = readManifest(ptr.record().ref().orElseThrow(() -> new RestfsException(ErrorCode.INTEGRITY,
                b.name() + p + " version " + ptr.record().version() + " names no manifest")));
        int count = m.segments().size();
        String at = b.name() + p + " version " + m.version() + " has " + count + " segments";
        if (index < 0 || index > count) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, at + ": no segment " + index + " to write (0 to "
                    + count + ", where " + count + " appends)");
        }
        if (index < count - 1 && length != full) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, at + ": segment " + index + " is not the last, so it"
                    + " must be exactly " + full + " bytes, not " + length);
        }
        if (index == count && count > 0 && m.segments().get(count - 1).length() != full) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, at + ": the last one holds "
                    + m.segments().get(count - 1).length() + " of " + full + " bytes, so nothing can follow it;"
                    + " write segment " + (count - 1) + " instead");
        }
        if (index == count && count >= Manifest.MAX_SEGMENTS) {
            throw new RestfsException(ErrorCode.TOO_LARGE, at + ", the most a file may have");
        }
        return m;
    }

    @Override
    public List<SegmentInfo> locations(String bucket, String path, Long version) {
        return guard(() -> {
            Bucket b = bucket(bucket);
            String p = ObjectPaths.normalize(path);
            Manifest m = manifest(b, p, version);
            List<SegmentInfo> out = new ArrayList<>(m.segments().size());
            long offset = 0;
            for (int i = 0; i < m.segments().size(); i++) {
                StoredSegment s = m.segments().get(i);
                List<ShardLocation> locs = new ArrayList<>();
                for (var ref : s.shards()) {
                    Optional<Candidate> holder = ref.holder().flatMap(view::find);
                    locs.add(new ShardLocation(ref.index(), ref.holder().map(h -> h.toHex()).orElse(""),
                            holder.map(h -> h.shardAddress().getHostString() + ":" + h.shardAddress().getPort())
                                    .orElse(""),
                            holder.map(Candidate::group).orElse(""), ref.sha256().hex()));
                }
                out.add(new SegmentInfo(i, s.id().toHex(), offset, s.length(), locs));
                offset += s.length();
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------ cluster

    @Override
    public ClusterStatus status() {
        return guard(() -> {
            ShardStoreStats mine = store.stats();
            List<Member> members = new ArrayList<>();
            long free = 0;
            for (Candidate c : view.all()) {
                long capacity = c.local() ? mine.capacityBytes() : 0;
                members.add(new Member(c.id().toHex(), c.shardAddress().getHostString(), "", c.group(), capacity,
                        c.freeBytes(), view.suspected(c.id()) ? "suspect" : "alive", c.local() ? clock.millis() : 0));
                free += c.freeBytes();
            }
            // Only this node's capacity and shard count are known here; others advertise their free bytes.
            return new ClusterStatus(dht.id().toHex(), members, mine.capacityBytes(), free, mine.shardCount());
        });
    }

    // ------------------------------------------------------------------------------------------------ internals

    private CompletableFuture<Optional<Pointer>> readPointerAsync(Bucket b, String p) {
        return CompletableFuture.supplyAsync(() -> readPointer(b, p), ioThreads);
    }

    private Optional<Pointer> readPointer(Bucket b, String p) {
        return pointers.get(b.signer(), MetadataKeys.pathSalt(p))
                .map(v -> new Pointer(v.seq(), decode(() -> PointerRecord.decode(v.value())), v.value()));
    }

    /** Compare-and-swap of {@code p}'s pointer from {@code current}; false when another writer got there first. */
    private PointerStore.Outcome writePointer(Bucket b, String p, Optional<Pointer> current, PointerRecord next) {
        OptionalLong prev = current.map(c -> OptionalLong.of(c.seq())).orElse(OptionalLong.empty());
        return pointers.put(b.signer(), MetadataKeys.pathSalt(p), prev, next.encode());
    }

    /**
     * Whether file {@code p}'s version chain, read now, includes the manifest {@code ours} (written as
     * {@code version}): how a writer whose swap came back {@link PointerStore.Outcome#UNCERTAIN} learns whether its
     * version survived. A version delete may have replaced {@code ours}, then the head, with a copy listing one more
     * purged version: that copy counts as ours (same version, time, content hash, segments and previous version;
     * segment ids are random, so no other writer's version has the same).
     */
    private boolean chainHolds(Bucket b, String p, StoredSegment ours, long version) {
        Optional<StoredSegment> next = readPointer(b, p).filter(x -> x.record().type() == ObjectType.FILE)
                .flatMap(x -> x.record().ref());
        while (next.isPresent()) {
            if (next.get().id().equals(ours.id())) {
                return true;
            }
            Manifest m = readManifest(next.get());
            if (m.version() == version) {
                // Read ours only now: the common answer is finding it by id, which needs no read.
                Manifest mine = readManifest(ours);
                return m.mtimeMillis() == mine.mtimeMillis() && java.util.Arrays.equals(m.sha256(), mine.sha256())
                        && m.segments().equals(mine.segments()) && m.previous().equals(mine.previous())
                        && m.deleted() == mine.deleted() && m.renamed() == mine.renamed();
            }
            if (m.version() < version) {
                return false;
            }
            next = m.previous();
        }
        return false;
    }

    /** The manifest of {@code version} of file {@code p} (newest when null); NOT_FOUND for deleted versions. */
    private Manifest manifest(Bucket b, String p, Long version) {
        Pointer ptr = readPointer(b, p).orElseThrow(() -> notFound(b, p));
        if (ptr.record().type() != ObjectType.FILE) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, b.name() + p + " is a directory");
        }
        if (version == null && !ptr.live()) {
            throw notFound(b, p);
        }
        for (ChainLink link : chain(ptr.record().ref())) {
            Manifest m = link.manifest();
            if (version == null || m.version() == version) {
                if (link.purged()) {
                    throw new RestfsException(ErrorCode.NOT_FOUND, b.name() + p + " version " + m.version()
                            + " was deleted");
                }
                if (m.deleted()) {
                    throw new RestfsException(ErrorCode.NOT_FOUND, b.name() + p + " version " + m.version()
                            + " is a delete");
                }
                return m;
            }
            if (m.version() < version) {
                break;
            }
        }
        throw new RestfsException(ErrorCode.NOT_FOUND, b.name() + p + " has no version " + version);
    }

    private Manifest readManifest(StoredSegment ref) {
        return decode(() -> Manifest.decode(readBlob(ref)));
    }

    /** The listing of directory {@code p}: NOT_FOUND when there is none, INVALID_PARAMS for a file. */
    private DirectoryListing listing(Bucket b, String p) {
        Pointer ptr = readPointer(b, p).filter(Pointer::live).orElseThrow(() -> notFound(b, p));
        if (ptr.record().type() != ObjectType.DIRECTORY) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, b.name() + p + " is not a directory");
        }
        return ptr.record().ref().map(ref -> decode(() -> DirectoryListing.decode(readBlob(ref))))
                .orElse(DirectoryListing.EMPTY);
    }

    /** Creates directory {@code p} and any missing parents; a no-op for one that exists. */
    private void mkdirs(Bucket b, String p) {
        if (p.equals(ObjectPaths.ROOT)) {
            if (readPointer(b, p).filter(Pointer::liveDirectory).isEmpty()) {
                throw new RestfsException(ErrorCode.NOT_FOUND, "bucket " + b.name() + " has no root directory");
            }
            return;
        }
        for (int attempt = 0; ; attempt++) {
            Optional<Pointer> ptr = readPointer(b, p);
            if (ptr.isPresent() && ptr.get().liveDirectory()) {
                return;
            }
            if (ptr.isPresent() && ptr.get().liveFile()) {
                throw new RestfsException(ErrorCode.CONFLICT, b.name() + p + " is a file, not a directory");
            }
            mkdirs(b, ObjectPaths.parent(p));
            long version = ptr.map(x -> x.record().version()).orElse(0L) + 1;
            long mtime = clock.millis();
            PointerRecord dir = new PointerRecord(ObjectType.DIRECTORY, version, false, 0, mtime, Optional.empty());
            PointerStore.Outcome outcome = writePointer(b, p, ptr, dir);
            if (outcome == PointerStore.Outcome.UNCERTAIN
                    && readPointer(b, p).filter(Pointer::liveDirectory).isPresent()) {
                outcome = PointerStore.Outcome.STORED;
            }
            if (outcome == PointerStore.Outcome.STORED) {
                addToParent(b, p, new DirEntry(ObjectPaths.name(p), ObjectType.DIRECTORY, 0, mtime, version));
                publish(b.name(), BucketEvent.CREATED, p, version);
                return;
            }
            if (attempt + 1 >= MAX_CAS_ATTEMPTS) {
                throw new RestfsException(ErrorCode.CONFLICT, b.name() + p + " kept changing while being created");
            }
            backoff(attempt);
        }
    }

    /**
     * Lists {@code entry} in {@code p}'s parent, unless the listing already shows a newer version of it (a racing
     * writer's listing update can land after ours; the newest version wins either way).
     */
    private void addToParent(Bucket b, String p, DirEntry entry) {
        updateListing(b, ObjectPaths.parent(p), addition(entry), Optional.empty());
    }

    private static UnaryOperator<DirectoryListing> addition(DirEntry entry) {
        return l -> l.get(entry.name())
                .filter(e -> e.type() == entry.type() && e.version() > entry.version()).isPresent() ? l : l.with(entry);
    }

    /** Drops {@code p} from its parent's listing, unless it was written again after this delete ({@code version}). */
    private void removeFromParent(Bucket b, String p, long version) {
        updateListing(b, ObjectPaths.parent(p), l -> l.get(ObjectPaths.name(p))
                .filter(e -> e.version() > version).isPresent() ? l : l.without(ObjectPaths.name(p)), Optional.empty());
    }

    /**
     * A directory's listing changed but not yet swapped in: the pointer it was read from, whether the change
     * changes anything, and the new listing's blob (empty for an empty listing).
     */
    private record ListingChange(Pointer base, boolean changed, Optional<StoredSegment> ref) {
    }

    /** Reads the listing {@code dir} names, applies {@code change} and stores the result if it differs. */
    private ListingChange prepareListing(Bucket b, Pointer dir, UnaryOperator<DirectoryListing> change) {
        DirectoryListing current = dir.record().ref()
                .map(ref -> decode(() -> DirectoryListing.decode(readBlob(ref)))).orElse(DirectoryListing.EMPTY);
        DirectoryListing next = change.apply(current);
        if (next.equals(current)) {
            return new ListingChange(dir, false, Optional.empty());
        }
        return new ListingChange(dir, true, next.entries().isEmpty() ? Optional.empty()
                : Optional.of(writeBlob(next.encode())));
    }

    /**
     * Applies {@code change} to directory {@code dir}'s listing with compare-and-swap, retrying on races.
     * {@code prepared}, when given, is the first attempt, made from an earlier read of the directory's pointer: if
     * the directory moved on since, its swap fails and the next attempt reads afresh.
     */
    private void updateListing(Bucket b, String dir, UnaryOperator<DirectoryListing> change,
            Optional<CompletableFuture<ListingChange>> prepared) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            ListingChange lc = null;
            if (attempt == 0 && prepared.isPresent()) {
                try {
                    // One that changes nothing is not trusted: the directory may have moved on since its read.
                    lc = Optional.of(join(prepared.get())).filter(ListingChange::changed).orElse(null);
                } catch (RestfsException e) {
                    // Made ahead from an earlier read; a fresh attempt decides.
                    log.info("listing update of {}{} prepared ahead failed ({}); reading it again", b.name(), dir,
                            e.getMessage());
                }
            }
            if (lc == null) {
                Pointer ptr = readPointer(b, dir).filter(Pointer::liveDirectory)
                        .orElseThrow(() -> new RestfsException(ErrorCode.NOT_FOUND, "no directory " + b.name() + dir));
                lc = prepareListing(b, ptr, change);
            }
            if (!lc.changed()) {
                return;
            }
            Pointer ptr = lc.base();
            PointerRecord rec = new PointerRecord(ObjectType.DIRECTORY, ptr.record().version() + 1, false, 0,
                    clock.millis(), lc.ref());
            PointerStore.Outcome outcome = writePointer(b, dir, Optional.of(ptr), rec);
            if (outcome == PointerStore.Outcome.STORED) {
                return;
            }
            if (outcome == PointerStore.Outcome.CONFLICT) {
                backoff(attempt);
            }
            // UNCERTAIN: the next round re-reads and finds the change made or not.
        }
        throw new RestfsException(ErrorCode.CONFLICT, "directory " + b.name() + dir + " kept changing; gave up after "
                + MAX_CAS_ATTEMPTS + " tries");
    }

    /**
     * Stores a manifest or listing: one segment, coded 2+2, encrypted with the metadata key. On a cluster of
     * fewer than four nodes its shards double up (placement uses every node first), whatever the bucket says
     * for data: a 2+1 bucket on three nodes must still be able to write its manifests.
     */
    private StoredSegment writeBlob(byte[] data) {
        if (data.length > CodecPolicy.MAX_SEGMENT_SIZE) {
            throw new RestfsException(ErrorCode.TOO_LARGE, "metadata record of " + data.length + " bytes exceeds "
                    + CodecPolicy.MAX_SEGMENT_SIZE);
        }
        CodecPolicy policy = new CodecPolicy(METADATA_K, METADATA_M, Math.max(CodecPolicy.MIN_SEGMENT_SIZE, data.length),
                true, true);
        EncodedSegment seg = segmentCodec.encode(policy, SegmentId.random(random), keys.metadataKey(), data);
        StoredSegment ref = shards.store(seg, true);
        blobs.put(ref, data);
        return ref;
    }

    private byte[] readBlob(StoredSegment ref) {
        Optional<byte[]> cached = blobs.get(ref);
        if (cached.isPresent()) {
            return cached.get();
        }
        byte[] data = decodeSegment(ref, keys.metadataKey());
        blobs.put(ref, data);
        return data;
    }

    private byte[] decodeSegment(StoredSegment s, BucketKey key) {
        List<byte[]> got = join(shards.fetch(s));
        return segmentCodec.decode(s.id(), key, got);
    }

    /** Segment shards fetched {@link #READ_AHEAD_SEGMENTS} ahead of the decoder asking for them. */
    private final class ReadAhead implements Iterator<SegmentShards> {
        private final List<StoredSegment> segments;
        private final ArrayDeque<CompletableFuture<List<byte[]>>> ahead = new ArrayDeque<>();
        private int started;
        private int taken;

        ReadAhead(List<StoredSegment> segments) {
            this.segments = segments;
        }

        @Override
        public boolean hasNext() {
            return taken < segments.size();
        }

        @Override
        public SegmentShards next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            while (started < segments.size() && started - taken < READ_AHEAD_SEGMENTS) {
                ahead.add(shards.fetch(segments.get(started++)));
            }
            StoredSegment s = segments.get(taken++);
            return new SegmentShards(s.id(), join(ahead.poll()));
        }
    }

    /** Passes on {@code length} bytes after skipping {@code skip}: a range of whole decoded segments. */
    private static final class Slice extends FilterOutputStream {
        private long skip;
        private long left;

        Slice(OutputStream out, long skip, long length) {
            super(out);
            this.skip = skip;
            this.left = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int s = (int) Math.min(skip, len);
            skip -= s;
            off += s;
            len -= s;
            int n = (int) Math.min(left, len);
            if (n > 0) {
                out.write(b, off, n);
                left -= n;
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(HolderView.DHT_WAIT_SECONDS * 4, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestfsException(ErrorCode.UNAVAILABLE, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = ShardIo.unwrap(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new RestfsException(ErrorCode.UNAVAILABLE, cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new RestfsException(ErrorCode.UNAVAILABLE, "shards did not arrive in time", e);
        }
    }

    private ObjectInfo info(Bucket b, String p, Manifest m) {
        return new ObjectInfo(b.name(), p, ObjectType.FILE, m.size(), m.mode(), m.owner(), m.mtimeMillis(),
                m.version(), hashHex(m), m.segments().size());
    }

    /** The whole content's SHA-256 in hex; empty for a delete and where it is not known ({@link SegmentApi#put}). */
    private static String hashHex(Manifest m) {
        byte[] h = m.sha256();
        return m.deleted() || java.util.Arrays.equals(h, NO_HASH) ? "" : HexFormat.of().formatHex(h);
    }

    private static ObjectInfo dirInfo(Bucket b, String p, PointerRecord r) {
        return new ObjectInfo(b.name(), p, ObjectType.DIRECTORY, 0, 0755, "", r.mtimeMillis(), r.version(), "", 0);
    }

    private static String child(String dir, String name) {
        return dir.equals(ObjectPaths.ROOT) ? "/" + name : dir + "/" + name;
    }

    private static RestfsException notFound(Bucket b, String p) {
        return new RestfsException(ErrorCode.NOT_FOUND, "no object " + b.name() + p);
    }

    private static CodecPolicy codecPolicy(BucketPolicy p) {
        try {
            return new CodecPolicy(p.k(), p.m(), p.segmentSize(), p.compress(), p.encrypt());
        } catch (InvalidPolicyException e) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "bad bucket policy: " + e.getMessage(), e);
        }
    }

    private void publish(String bucket, String type, String path, long version) {
        try {
            publisher.publish(BucketEvent.topic(bucket), new BucketEvent(type, path, version));
        } catch (RuntimeException e) {
            // The change is made; a subscriber missing one event refetches on the next.
            log.warn("publishing {} of {}{} failed: {}", type, bucket, path, e.toString());
        }
    }

    private void backoff(int attempt) {
        int bound = BACKOFF_MILLIS << Math.min(attempt, 6);
        try {
            // Gateway code, not driven by the simulator: a plain sleep spreads racing writers apart.
            Thread.sleep(1 + random.nextInt(bound));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestfsException(ErrorCode.UNAVAILABLE, "interrupted", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    private interface RecordDecoder<T> {
        T decode() throws MalformedRecordException;
    }

    private static <T> T decode(RecordDecoder<T> d) {
        try {
            return d.decode();
        } catch (MalformedRecordException e) {
            throw new RestfsException(ErrorCode.INTEGRITY, e.getMessage(), e);
        }
    }

    private interface IoBody<T> {
        T run() throws IOException;
    }

    /** {@link #guard} for the streaming calls, whose caller wants the stream's own IOException. */
    private <T> T guardIo(IoBody<T> body) throws IOException {
        try {
            return guard(() -> {
                try {
                    return body.run();
                } catch (IOException e) {
                    throw new StreamFailure(e);
                }
            });
        } catch (StreamFailure e) {
            throw e.getCause();
        }
    }

    /** Carries a body stream's IOException through {@link #guard} unchanged. */
    private static final class StreamFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** Reads exactly {@code length} bytes of a body; ending early is an error, not a shorter object. */
    private static final class ExactLength extends java.io.FilterInputStream {
        private long left;

        ExactLength(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n == -1) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "the body ended " + left + " bytes early");
            }
            left -= n;
            return n;
        }
    }

    /** Runs an API call, turning every failure into a {@link RestfsException} with the code a caller acts on. */
    private <T> T guard(Supplier<T> body) {
        try {
            return body.get();
        } catch (RestfsException | StreamFailure e) {
            throw e;
        } catch (NotEnoughShardsException e) {
            throw new RestfsException(ErrorCode.UNAVAILABLE, e.getMessage(), e);
        } catch (SegmentDecodeException e) {
            throw new RestfsException(ErrorCode.INTEGRITY, e.getMessage(), e);
        } catch (CapacityExceededException e) {
            throw new RestfsException(ErrorCode.CAPACITY_EXCEEDED, e.getMessage(), e);
        } catch (UncheckedIOException e) {
            log.warn("storage i/o failure: {}", e.toString());
            throw new RestfsException(ErrorCode.INTERNAL_ERROR, "i/o failure: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, e.getMessage(), e);
        } catch (RuntimeException e) {
            log.warn("storage call failed unexpectedly", e);
            throw new RestfsException(ErrorCode.INTERNAL_ERROR, e.toString(), e);
        }
    }

    /**
     * Warms the codec up on a background thread (see {@link CodecWarmup}): for a long-running node, whose first
     * large transfer would otherwise run AES-GCM uncompiled. Tests and short-lived tools skip it.
     */
    public void warmUp() {
        Thread t = new Thread(new CodecWarmup(segmentCodec), "restfs-storage-warmup");
        t.setDaemon(true);
        synchronized (this) {
            if (warmup != null) {
                return;
            }
            warmup = t;
        }
        t.start();
    }

    /** Stops the codec and i/o threads; the DHT node, store and transfer client belong to the caller. */
    @Override
    public void close() {
        synchronized (this) {
            if (warmup != null) {
                warmup.interrupt();
            }
        }
        codecThreads.shutdownNow();
        ioThreads.shutdownNow();
    }
}
