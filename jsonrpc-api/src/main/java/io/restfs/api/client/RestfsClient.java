package io.restfs.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.api.BucketApi;
import io.restfs.api.BucketEvent;
import io.restfs.api.BucketInfo;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ClusterApi;
import io.restfs.api.ClusterStatus;
import io.restfs.api.DirEntry;
import io.restfs.api.ErrorCode;
import io.restfs.api.ObjectApi;
import io.restfs.api.ObjectInfo;
import io.restfs.api.ObjectVersion;
import io.restfs.api.RestfsException;
import io.restfs.api.SegmentApi;
import io.restfs.api.SegmentInfo;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The Java client of a restfs node: the four API services over JSON-RPC 2.0 ({@link #buckets()}, {@link #objects()},
 * {@link #segments()}, {@link #cluster()}) and streaming {@link #upload}/{@link #download} of large bodies. Every
 * failure is a {@link RestfsException} with the node's error code; a node that cannot be reached is
 * {@link ErrorCode#NOT_READY}. Thread-safe; one instance per node and token.
 */
public final class RestfsClient {
    /** How long one call may take before the client gives up; large bodies go through the streaming calls. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI rpc;
    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final AtomicLong ids = new AtomicLong();

    private final BucketApi buckets = new BucketCalls();
    private final ObjectApi objects = new ObjectCalls();
    private final SegmentApi segments = new SegmentCalls();
    private final ClusterApi cluster = new ClusterCalls();

    public RestfsClient(URI node, String token, Duration timeout) {
        Objects.requireNonNull(node, "node");
        if (node.getScheme() == null || !(node.getScheme().equals("http") || node.getScheme().equals("https"))
                || node.getHost() == null) {
            throw new IllegalArgumentException("node URL must be http://HOST:PORT, got " + node);
        }
        String s = node.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.rpc = base.resolve("rpc");
        this.token = Objects.requireNonNull(token, "token");
        this.timeout = timeout;
        // HTTP/1.1: the node's Tomcat speaks no h2c, so the upgrade attempt would only cost a header.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    public static RestfsClient connect(URI node, String token) {
        return new RestfsClient(node, token, DEFAULT_TIMEOUT);
    }

    public URI node() {
        return base;
    }

    public BucketApi buckets() {
        return buckets;
    }

    public ObjectApi objects() {
        return objects;
    }

    public SegmentApi segments() {
        return segments;
    }

    public ClusterApi cluster() {
        return cluster;
    }

    /**
     * Follows {@code bucket}'s changes: {@code listener} gets a {@link BucketEvent} for every object created, changed
     * or deleted there, through this node or any other member linked with it, until the subscription is closed. Needs
     * read rights on the bucket ({@link ErrorCode#FORBIDDEN} otherwise); a node that cannot be reached is
     * {@link ErrorCode#NOT_READY}.
     */
    public BucketSubscription subscribe(String bucket, Consumer<BucketEvent> listener) {
        return BucketSubscription.open(http, base, token, Objects.requireNonNull(bucket, "bucket"),
                Objects.requireNonNull(listener, "listener"), CONNECT_TIMEOUT, json);
    }

    /** The node's OpenRPC document ({@code rpc.discover}). */
    public JsonNode discover() {
        return call("rpc.discover", json.getTypeFactory().constructType(JsonNode.class));
    }

    /**
     * Calls {@code method} with positional {@code params} and converts its result to {@code resultType}; the general
     * form the service views use.
     */
    public <T> T call(String method, JavaType resultType, Object... params) {
        long id = ids.incrementAndGet();
        ObjectNode req = json.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("method", method);
        ArrayNode p = req.putArray("params");
        for (Object o : params) {
            p.add(json.valueToTree(o));
        }
        req.put("id", id);
        byte[] body;
        try {
            body = json.writeValueAsBytes(req);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("params of " + method + " cannot be written as JSON", e);
        }
        HttpRequest r = HttpRequest.newBuilder(rpc)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> resp = send(r, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer = readJson(resp.body(), resp.statusCode());
        JsonNode error = answer.get("error");
        if (error != null && error.isObject()) {
            throw toException(error);
        }
        if (!answer.has("result")) {
            throw new RestfsException(ErrorCode.INTERNAL_ERROR, "the node's answer to " + method
                    + " has neither result nor error (HTTP " + resp.statusCode() + ")");
        }
        if (answer.path("id").asLong(-1) != id) {
            throw new RestfsException(ErrorCode.INTERNAL_ERROR, "the node answered " + method + " with id "
                    + answer.get("id") + ", not " + id);
        }
        if (resultType.getRawClass() == Void.class) {
            return null;
        }
        try {
            return json.convertValue(answer.get("result"), resultType);
        } catch (IllegalArgumentException e) {
            throw new RestfsException(ErrorCode.INTERNAL_ERROR, "the node's result for " + method
                    + " does not have the expected shape: " + e.getMessage());
        }
    }

    private <T> T call(String method, Class<T> resultType, Object... params) {
        return call(method, json.getTypeFactory().constructType(resultType), params);
    }

    private <T> List<T> callList(String method, Class<T> itemType, Object... params) {
        return call(method, json.getTypeFactory().constructCollectionType(List.class, itemType), params);
    }

    /**
     * Streams {@code file} into a new version of {@code bucket}/{@code path} ({@code PUT /o/...}), reporting
     * progress as bytes go out; {@code expectedVersion} non-null asks for a compare-and-swap.
     */
    public ObjectInfo upload(String bucket, String path, Path file, Long expectedVersion, TransferListener listener)
            throws IOException {
        long size = Files.size(file);
        AtomicLong sent = new AtomicLong();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new CountingInput(Files.newInputStream(file), n -> listener.progress(sent.addAndGet(n),
                                size));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), size);
        HttpRequest r = HttpRequest.newBuilder(objectUri(bucket, path, expectedVersion == null ? null
                        : "expectedVersion=" + expectedVersion))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                // No Expect: 100-continue: the JDK client (17) pools the connection after a refusal that came instead of
                // the 100, and the next request on it fails; a refusal mid-body arrives as an answer all the same.
                .PUT(body)
                .build();
        HttpResponse<byte[]> resp = send(r, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() / 100 != 2) {
            throw streamError(resp.body(), resp.statusCode());
        }
        try {
            return json.readValue(resp.body(), ObjectInfo.class);
        } catch (IOException e) {
            throw new RestfsException(ErrorCode.INTERNAL_ERROR, "the node's answer to an upload is not an object's"
                    + " attributes");
        }
    }

    /**
     * Streams {@code version} (newest when null) of {@code bucket}/{@code path} into {@code target} ({@code GET
     * /o/...}), replacing it only once all bytes arrived and their SHA-256 matched the object's (where the object's
     * is known: not for a version {@link SegmentApi#put} wrote over several segments).
     */
    public ObjectInfo download(String bucket, String path, Long version, Path target, TransferListener listener)
            throws IOException {
        ObjectInfo info = objects.stat(bucket, path, version);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
            MessageDigest sha = sha256();
            try (FileChannel file = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                long got = read(bucket, path, info.version(), 0, info.size(), buf -> {
                    sha.update(buf.duplicate());
                    while (buf.hasRemaining()) {
                        file.write(buf);
                    }
                }, listener);
                if (got != info.size()) {
                    throw new RestfsException(ErrorCode.UNAVAILABLE, "the node sent " + got + " of " + info.size()
                            + " bytes of " + bucket + path);
                }
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            if (!info.sha256().isEmpty() && !hex.equalsIgnoreCase(info.sha256())) {
                throw new RestfsException(ErrorCode.INTEGRITY, "downloaded bytes of " + bucket + path + " version "
                        + info.version() + " hash to " + hex + ", the object's hash is " + info.sha256());
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return info;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Bytes {@code offset} to {@code offset + length - 1} of an object version, fetched with an HTTP Range. */
    public byte[] readRange(String bucket, String path, Long version, long offset, long length) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        read(bucket, path, version, offset, length, buf -> {
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            out.write(b);
        }, TransferListener.NONE);
        return out.toByteArray();
    }

    /** Where a GET's body goes, buffer by buffer, as the HTTP client hands them over. */
    private interface ByteSink {
        void write(ByteBuffer buffer) throws IOException;
    }

    /** What a GET ended with: the bytes delivered to the sink, the body of an error answer, or the sink's failure. */
    private record GetOutcome(long delivered, byte[] errorBody, IOException sinkFailure) {
    }

    /**
     * GETs a range into {@code sink}; returns the bytes delivered. The body goes to the sink on the HTTP client's own
     * thread as it arrives, without an InputStream's hand-off between threads.
     */
    private long read(String bucket, String path, Long version, long offset, long length, ByteSink sink,
                      TransferListener listener) throws IOException {
        if (length == 0) {
            return 0;
        }
        HttpRequest r = HttpRequest.newBuilder(objectUri(bucket, path, version == null ? null : "version=" + version))
                .header("Authorization", "Bearer " + token)
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1))
                .GET()
                .build();
        HttpResponse<GetOutcome> resp = send(r, info -> {
            if (info.statusCode() != 200 && info.statusCode() != 206) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                        b -> new GetOutcome(0, b, null));
            }
            long total = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            SinkSubscriber sub = new SinkSubscriber(sink, listener, total);
            return HttpResponse.BodySubscribers.fromSubscriber(sub, SinkSubscriber::outcome);
        });
        GetOutcome o = resp.body();
        if (o == null) {
            throw new RestfsException(ErrorCode.UNAVAILABLE, "the download of " + bucket + path + " ended early");
        }
        if (o.errorBody() != null) {
            throw streamError(o.errorBody(), resp.statusCode());
        }
        if (o.sinkFailure() != null) {
            throw o.sinkFailure();
        }
        return o.delivered();
    }

    /**
     * Feeds a response body to a {@link ByteSink}, one list of buffers at a time (so the sink sets the pace). When the
     * sink fails (disk full) the rest of the body is drained unwritten: cancelling would leave the response unfinished.
     */
    private static final class SinkSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        private final ByteSink sink;
        private final TransferListener listener;
        private final long total;
        private Flow.Subscription subscription;
        private long delivered;
        private IOException failure;

        SinkSubscriber(ByteSink sink, TransferListener listener, long total) {
            this.sink = sink;
            this.listener = listener;
            this.total = total;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (failure == null) {
                try {
                    for (ByteBuffer b : buffers) {
                        delivered += b.remaining();
                        sink.write(b);
                    }
                    listener.progress(delivered, total);
                } catch (IOException e) {
                    failure = e;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            // The HTTP client fails the response itself; send() reports it.
        }

        @Override
        public void onComplete() {
        }

        /** Called once the body ended. */
        GetOutcome outcome() {
            return new GetOutcome(delivered, null, failure);
        }
    }

    private URI objectUri(String bucket, String path, String query) {
        String p = path.startsWith("/") ? path : "/" + path;
        String u = base + "o/" + encodePath(bucket) + encodePath(p);
        return URI.create(query == null ? u : u + "?" + query);
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters and '/'. */
    static String encodePath(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
            }
        }
        return b.toString();
    }

    private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(r, handler);
        } catch (IOException e) {
            throw new RestfsException(ErrorCode.NOT_READY, "cannot reach the node at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestfsException(ErrorCode.NOT_READY, "interrupted while waiting for " + base, e);
        }
    }

    private JsonNode readJson(byte[] body, int status) {
        try {
            JsonNode n = json.readTree(body);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException e) {
            // Not JSON: reported below with the HTTP status.
        }
        throw new RestfsException(status == 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.INTERNAL_ERROR,
                "the node answered HTTP " + status + " without a JSON-RPC response");
    }

    private RestfsException streamError(byte[] body, int status) {
        JsonNode error = null;
        try {
            JsonNode n = json.readTree(body);
            error = n == null ? null : n.get("error");
        } catch (IOException e) {
            // Not JSON: report the status alone.
        }
        if (error != null && error.isObject()) {
            return toException(error);
        }
        return new RestfsException(status == 404 ? ErrorCode.NOT_FOUND : status == 416 ? ErrorCode.INVALID_PARAMS
                : ErrorCode.INTERNAL_ERROR, "the node answered HTTP " + status);
    }

    private static RestfsException toException(JsonNode error) {
        int code = error.path("code").asInt(ErrorCode.INTERNAL_ERROR.code());
        ErrorCode ec = ErrorCode.of(code).orElse(ErrorCode.INTERNAL_ERROR);
        JsonNode data = error.get("data");
        String detail = data != null && data.isTextual() ? data.asText() : error.path("message").asText(ec.message());
        return new RestfsException(ec, detail);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Counts bytes as they are read, for upload progress. */
    private static final class CountingInput extends FilterInputStream {
        private final java.util.function.LongConsumer counted;

        CountingInput(InputStream in, java.util.function.LongConsumer counted) {
            super(in);
            this.counted = counted;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted.accept(n);
            }
            return n;
        }
    }

    private final class BucketCalls implements BucketApi {
        @Override
        public BucketInfo create(String name, BucketPolicy policy) {
            return call("bucket.create", BucketInfo.class, name, policy);
        }

        @Override
        public List<BucketInfo> list() {
            return callList("bucket.list", BucketInfo.class);
        }

        @Override
        public BucketInfo info(String name) {
            return call("bucket.info", BucketInfo.class, name);
        }

        @Override
        public void delete(String name) {
            call("bucket.delete", Void.class, name);
        }
    }

    private final class ObjectCalls implements ObjectApi {
        @Override
        public ObjectInfo put(String bucket, String path, byte[] data, Long expectedVersion) {
            return call("object.put", ObjectInfo.class, bucket, path, data, expectedVersion);
        }

        @Override
        public byte[] get(String bucket, String path, Long version) {
            return call("object.get", byte[].class, bucket, path, version);
        }

        @Override
        public ObjectInfo stat(String bucket, String path, Long version) {
            return call("object.stat", ObjectInfo.class, bucket, path, version);
        }

        @Override
        public List<DirEntry> list(String bucket, String path, String after, Integer limit) {
            return callList("object.list", DirEntry.class, bucket, path, after, limit);
        }

        @Override
        public ObjectInfo mkdir(String bucket, String path) {
            return call("object.mkdir", ObjectInfo.class, bucket, path);
        }

        @Override
        public ObjectInfo rename(String bucket, String from, String to) {
            return call("object.rename", ObjectInfo.class, bucket, from, to);
        }

        @Override
        public void delete(String bucket, String path) {
            call("object.delete", Void.class, bucket, path);
        }

        @Override
        public List<ObjectVersion> versions(String bucket, String path, Long after, Integer limit) {
            return callList("object.versions", ObjectVersion.class, bucket, path, after, limit);
        }

        @Override
        public void deleteVersion(String bucket, String path, Long version) {
            call("object.deleteVersion", Void.class, bucket, path, version);
        }
    }

    private final class SegmentCalls implements SegmentApi {
        @Override
        public byte[] get(String bucket, String path, Long version, int index) {
            return call("segment.get", byte[].class, bucket, path, version, index);
        }

        @Override
        public ObjectInfo put(String bucket, String path, int index, byte[] data, Long expectedVersion) {
            return call("segment.put", ObjectInfo.class, bucket, path, index, data, expectedVersion);
        }

        @Override
        public List<SegmentInfo> locations(String bucket, String path, Long version) {
            return callList("segment.locations", SegmentInfo.class, bucket, path, version);
        }
    }

    private final class ClusterCalls implements ClusterApi {
        @Override
        public ClusterStatus status() {
            return call("cluster.status", ClusterStatus.class);
        }
    }
}
