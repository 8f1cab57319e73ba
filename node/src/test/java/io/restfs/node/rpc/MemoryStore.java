package io.restfs.node.rpc;

import io.restfs.api.BucketApi;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A single-process implementation of the API services in memory: buckets, files with versions, directories. It is
 * the test service the API layer (server, client, CLI) is exercised against, independent of the cluster storage.
 */
public final class MemoryStore implements BucketApi, ObjectApi, SegmentApi, ClusterApi, ObjectStreams {
    private record Version(long version, byte[] data, long mtime, boolean deleted) {
    }

    private record Entry(ObjectType type, List<Version> versions) {
        Version newest() {
            return versions.get(versions.size() - 1);
        }
    }

    private record Bucket(String name, BucketPolicy policy, long created, TreeMap<String, Entry> objects) {
    }

    private final Map<String, Bucket> buckets = new TreeMap<>();
    private long clock = 1_700_000_000_000L;

    private long now() {
        return clock++;
    }

    // ---- buckets

    @Override
    public synchronized BucketInfo create(String name, BucketPolicy policy) {
        if (!name.matches(Limits.BUCKET_NAME_PATTERN)) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "not a bucket name: " + name);
        }
        if (buckets.containsKey(name)) {
            throw new RestfsException(ErrorCode.ALREADY_EXISTS, "bucket " + name + " exists");
        }
        Bucket b = new Bucket(name, policy, now(), new TreeMap<>());
        b.objects().put("/", new Entry(ObjectType.DIRECTORY, new ArrayList<>(List.of(new Version(1, new byte[0],
                b.created(), false)))));
        buckets.put(name, b);
        return info(name);
    }

    @Override
    public synchronized List<BucketInfo> list() {
        return buckets.keySet().stream().map(this::info).toList();
    }

    @Override
    public synchronized BucketInfo info(String name) {
        Bucket b = bucket(name);
        long count = 0;
        long bytes = 0;
        for (Entry e : b.objects().values()) {
            if (e.type() == ObjectType.FILE && !e.newest().deleted()) {
                count++;
                bytes += e.newest().data().length;
            }
        }
        return new BucketInfo(name, b.policy(), b.created(), count, bytes);
    }

    @Override
    public synchronized void delete(String name) {
        if (bucket(name).objects().values().stream().filter(e -> !e.newest().deleted()).count() > 1) {
            throw new RestfsException(ErrorCode.NOT_EMPTY, "bucket " + name + " is not empty");
        }
        buckets.remove(name);
    }

    private Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw new RestfsException(ErrorCode.NOT_FOUND, "no bucket " + name);
        }
        return b;
    }

    // ---- objects

    private static String clean(String path) {
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    private static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    private Entry live(Bucket b, String path) {
        Entry e = b.objects().get(path);
        if (e == null || e.newest().deleted()) {
            throw new RestfsException(ErrorCode.NOT_FOUND, "no object " + b.name() + path);
        }
        return e;
    }

    private Version version(Entry e, Long v, String what) {
        if (v == null) {
            return e.newest();
        }
        for (Version x : e.versions()) {
            if (x.version() == v && !x.deleted()) {
                return x;
            }
        }
        throw new RestfsException(ErrorCode.NOT_FOUND, "no version " + v + " of " + what);
    }

    @Override
    public synchronized ObjectInfo put(String bucket, String path, byte[] data, Long expectedVersion) {
        Bucket b = bucket(bucket);
        String p = clean(path);
        Entry parent = b.objects().get(parent(p));
        if (parent == null || parent.type() != ObjectType.DIRECTORY || parent.newest().deleted()) {
            throw new RestfsException(ErrorCode.NOT_FOUND, "no directory " + bucket + parent(p));
        }
        Entry e = b.objects().get(p);
        if (e != null && e.type() == ObjectType.DIRECTORY) {
            throw new RestfsException(ErrorCode.ALREADY_EXISTS, p + " is a directory");
        }
        long current = e == null || e.newest().deleted() ? 0 : e.newest().version();
        if (expectedVersion != null && expectedVersion != current) {
            throw new RestfsException(ErrorCode.CONFLICT, bucket + p + " is at version " + current + ", not "
                    + expectedVersion);
        }
        if (e == null) {
            e = new Entry(ObjectType.FILE, new ArrayList<>());
            b.objects().put(p, e);
        }
        long next = e.versions().isEmpty() ? 1 : e.newest().version() + 1;
        e.versions().add(new Version(next, data.clone(), now(), false));
        return stat(bucket, p, null);
    }

    @Override
    public synchronized byte[] get(String bucket, String path, Long version) {
        String p = clean(path);
        Entry e = live(bucket(bucket), p);
        return version(e, version, bucket + p).data().clone();
    }

    @Override
    public synchronized ObjectInfo stat(String bucket, String path, Long version) {
        Bucket b = bucket(bucket);
        String p = clean(path);
        Entry e = live(b, p);
        Version v = version(e, version, bucket + p);
        int segments = (int) ((v.data().length + b.policy().segmentSize() - 1) / b.policy().segmentSize());
        return new ObjectInfo(bucket, p, e.type(), v.data().length, e.type() == ObjectType.FILE ? 0644 : 0755,
                "restfs", v.mtime(), v.version(), e.type() == ObjectType.FILE ? sha256(v.data()) : "", segments);
    }

    @Override
    public synchronized List<DirEntry> list(String bucket, String path, String after, Integer limit) {
        return Paging.entriesAfter(entries(bucket, path), after, limit);
    }

    private List<DirEntry> entries(String bucket, String path) {
        Bucket b = bucket(bucket);
        String p = clean(path);
        Entry dir = live(b, p);
        if (dir.type() != ObjectType.DIRECTORY) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, p + " is not a directory");
        }
        String prefix = p.equals("/") ? "/" : p + "/";
        List<DirEntry> out = new ArrayList<>();
        for (Map.Entry<String, Entry> m : b.objects().tailMap(prefix, false).entrySet()) {
            if (!m.getKey().startsWith(prefix)) {
                break;
            }
            String rest = m.getKey().substring(prefix.length());
            Version v = m.getValue().newest();
            if (!rest.contains("/") && !v.deleted()) {
                out.add(new DirEntry(rest, m.getValue().type(), v.data().length, v.mtime(), v.version()));
            }
        }
        return out;
    }

    @Override
    public synchronized ObjectInfo mkdir(String bucket, String path) {
        Bucket b = bucket(bucket);
        String p = clean(path);
        Entry e = b.objects().get(p);
        if (e != null && !e.newest().deleted()) {
            throw new RestfsException(ErrorCode.ALREADY_EXISTS, bucket + p + " exists");
        }
        live(b, parent(p));
        b.objects().put(p, new Entry(ObjectType.DIRECTORY, new ArrayList<>(List.of(new Version(1, new byte[0], now(),
                false)))));
        return stat(bucket, p, null);
    }

    @Override
    public synchronized ObjectInfo rename(String bucket, String from, String to) {
        Bucket b = bucket(bucket);
        String f = clean(from);
        String t = clean(to);
        Entry e = live(b, f);
        Entry target = b.objects().get(t);
        if (target != null && !target.newest().deleted()) {
            throw new RestfsException(ErrorCode.ALREADY_EXISTS, bucket + t + " exists");
        }
        if (e.type() == ObjectType.DIRECTORY && !entries(bucket, f).isEmpty()) {
            throw new RestfsException(ErrorCode.NOT_EMPTY, bucket + f + " is not empty");
        }
        live(b, parent(t));
        b.objects().remove(f);
        b.objects().put(t, e);
        return stat(bucket, t, null);
    }

    @Override
    public synchronized void delete(String bucket, String path) {
        Bucket b = bucket(bucket);
        String p = clean(path);
        Entry e = live(b, p);
        if (p.equals("/")) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "the root directory cannot be deleted");
        }
        if (e.type() == ObjectType.DIRECTORY) {
            if (!entries(bucket, p).isEmpty()) {
                throw new RestfsException(ErrorCode.NOT_EMPTY, bucket + p + " is not empty");
            }
            b.objects().remove(p);
            return;
        }
        e.versions().add(new Version(e.newest().version() + 1, new byte[0], now(), true));
    }

    @Override
    public synchronized List<ObjectVersion> versions(String bucket, String path, Long after, Integer limit) {
        Paging.afterVersion(after);
        int max = Paging.limit(limit);
        Bucket b = bucket(bucket);
        String p = clean(path);
        Entry e = b.objects().get(p);
        if (e == null) {
            throw new RestfsException(ErrorCode.NOT_FOUND, "no object " + bucket + p);
        }
        List<ObjectVersion> out = new ArrayList<>();
        for (Version v : e.versions()) {
            if (after != null && v.version() >= after) {
                continue;
            }
            out.add(0, new ObjectVersion(v.version(), v.data().length, v.mtime(), v.deleted() ? "" : sha256(v.data()),
                    v.deleted()));
        }
        return List.copyOf(out.subList(0, Math.min(out.size(), max)));
    }

    @Override
    public synchronized void deleteVersion(String bucket, String path, Long version) {
        if (version == null || version < 1) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "version must be 1 or more, not " + version);
        }
        Bucket b = bucket(bucket);
        String p = clean(path);
        Entry e = b.objects().get(p);
        if (e == null) {
            throw new RestfsException(ErrorCode.NOT_FOUND, "no object " + bucket + p);
        }
        if (e.type() == ObjectType.DIRECTORY) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, bucket + p + " is a directory");
        }
        if (e.newest().version() == version) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "version " + version + " is the newest");
        }
        if (!e.versions().removeIf(v -> v.version() == version)) {
            throw new RestfsException(ErrorCode.NOT_FOUND, bucket + p + " has no version " + version);
        }
    }

    // ---- segments

    @Override
    public synchronized byte[] get(String bucket, String path, Long version, int index) {
        ObjectInfo info = stat(bucket, path, version);
        byte[] data = get(bucket, path, info.version());
        int size = bucket(bucket).policy().segmentSize();
        if (index < 0 || index >= info.segments()) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "no segment " + index + " of " + bucket + info.path());
        }
        return Arrays.copyOfRange(data, index * size, (int) Math.min(data.length, (long) (index + 1) * size));
    }

    /** The storage service's rules in short: in range, at most a segment, the whole file kept cut at segments. */
    @Override
    public synchronized ObjectInfo put(String bucket, String path, int index, byte[] data, Long expectedVersion) {
        ObjectInfo info = stat(bucket, path, null);
        int size = bucket(bucket).policy().segmentSize();
        long start = (long) index * size;
        if (info.type() != ObjectType.FILE || index < 0 || start > info.size() || data.length == 0
                || data.length > size || (start + data.length < info.size() && data.length != size)) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "cannot write " + data.length + " bytes as segment "
                    + index + " of " + bucket + info.path());
        }
        byte[] old = get(bucket, path, null);
        boolean last = start + size >= old.length;
        byte[] next = Arrays.copyOf(old, last ? (int) start + data.length : old.length);
        System.arraycopy(data, 0, next, (int) start, data.length);
        return put(bucket, path, next, expectedVersion == null ? info.version() : expectedVersion);
    }

    @Override
    public synchronized List<SegmentInfo> locations(String bucket, String path, Long version) {
        ObjectInfo info = stat(bucket, path, version);
        BucketPolicy policy = bucket(bucket).policy();
        List<SegmentInfo> out = new ArrayList<>();
        for (int s = 0; s < info.segments(); s++) {
            byte[] seg = get(bucket, path, info.version(), s);
            List<ShardLocation> shards = new ArrayList<>();
            for (int i = 0; i < policy.k() + policy.m(); i++) {
                shards.add(new ShardLocation(i, "memory", "127.0.0.1:0", "memory", sha256(seg)));
            }
            out.add(new SegmentInfo(s, sha256(seg), (long) s * policy.segmentSize(), seg.length, shards));
        }
        return out;
    }

    // ---- cluster

    @Override
    public ClusterStatus status() {
        return new ClusterStatus("memory", List.of(new Member("memory", "127.0.0.1", "", "memory", 1L << 30,
                1L << 30, "alive", now())), 1L << 30, 1L << 30, 0);
    }

    // ---- streams

    @Override
    public ObjectInfo put(String bucket, String path, InputStream body, long length, Long expectedVersion)
            throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new RestfsException(ErrorCode.TOO_LARGE, "the memory store holds objects up to 2 GiB");
        }
        byte[] data = body.readNBytes((int) length);
        if (data.length != length) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "the body ended after " + data.length + " of " + length
                    + " bytes");
        }
        return put(bucket, path, data, expectedVersion);
    }

    @Override
    public void get(String bucket, String path, Long version, long offset, long length, OutputStream out)
            throws IOException {
        byte[] data = get(bucket, path, version);
        out.write(data, (int) offset, (int) length);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
