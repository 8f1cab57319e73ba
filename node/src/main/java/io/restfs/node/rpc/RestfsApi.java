package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.api.BucketApi;
import io.restfs.api.ClusterApi;
import io.restfs.api.ObjectApi;
import io.restfs.api.SegmentApi;
import io.restfs.node.auth.Right;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.web.NodeMetrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The restfs API as servlets: JSON-RPC services {@code bucket}, {@code object}, {@code segment} and {@code cluster}
 * for {@code /rpc}, object streams for {@code /o/*}, and the right each method needs. The node mounts them:
 * <pre>{@code
 * RestfsApi api = RestfsApi.over(storage, TokenStore.open(nodeDir)).countCallsIn(metrics);
 * daemon.mount("/rpc", api.rpcServlet());
 * daemon.mount("/o/*", api.objectServlet());
 * }</pre>
 */
public final class RestfsApi {
    private static final AccessRule READ_BUCKET = new AccessRule.OnBucket(Right.READ, 0);
    private static final AccessRule WRITE_BUCKET = new AccessRule.OnBucket(Right.WRITE, 0);

    /** The right every API method needs; {@link RpcDispatcher} refuses to start if a method is missing here. */
    public static final Map<String, AccessRule> RULES = Map.ofEntries(
            Map.entry("bucket.create", new AccessRule.Admin()),
            Map.entry("bucket.delete", new AccessRule.Admin()),
            Map.entry("bucket.list", new AccessRule.FilteredList(Right.READ, "name")),
            Map.entry("bucket.info", READ_BUCKET),
            Map.entry("object.put", WRITE_BUCKET),
            Map.entry("object.mkdir", WRITE_BUCKET),
            Map.entry("object.rename", WRITE_BUCKET),
            Map.entry("object.delete", WRITE_BUCKET),
            Map.entry("object.deleteVersion", WRITE_BUCKET),
            Map.entry("object.get", READ_BUCKET),
            Map.entry("object.stat", READ_BUCKET),
            Map.entry("object.list", READ_BUCKET),
            Map.entry("object.versions", READ_BUCKET),
            Map.entry("segment.get", READ_BUCKET),
            Map.entry("segment.put", WRITE_BUCKET),
            Map.entry("segment.locations", READ_BUCKET),
            Map.entry("cluster.status", new AccessRule.AnyToken()));

    private final ObjectMapper mapper = RpcJson.mapper();
    private final RpcDispatcher dispatcher;
    private final ObjectApi objects;
    private final ObjectStreams streams;
    private final TokenStore tokens;

    public RestfsApi(BucketApi buckets, ObjectApi objects, SegmentApi segments, ClusterApi cluster,
                     ObjectStreams streams, TokenStore tokens) {
        List<RpcService> services = List.of(
                RpcService.of("bucket", BucketApi.class, buckets),
                RpcService.of("object", ObjectApi.class, objects),
                RpcService.of("segment", SegmentApi.class, segments),
                RpcService.of("cluster", ClusterApi.class, cluster));
        this.dispatcher = new RpcDispatcher(services, new TreeMap<>(RULES), mapper, "restfs");
        this.objects = objects;
        this.streams = streams;
        this.tokens = tokens;
    }

    /** One object implementing all four API interfaces and {@link ObjectStreams}, as the storage service does. */
    public static <S extends BucketApi & ObjectApi & SegmentApi & ClusterApi & ObjectStreams> RestfsApi over(
            S service, TokenStore tokens) {
        return new RestfsApi(service, service, service, service, service, tokens);
    }

    /** Counts every call and error answer on the node's metrics ({@code restfs_rpc_calls_total}, ...). */
    public RestfsApi countCallsIn(NodeMetrics metrics) {
        dispatcher.countCallsIn(new RpcDispatcher.CallCounter() {
            @Override
            public void called(String method) {
                metrics.rpcCall(method);
            }

            @Override
            public void failed(String method, int code) {
                metrics.rpcError(method, code);
            }
        });
        return this;
    }

    public RpcDispatcher dispatcher() {
        return dispatcher;
    }

    /** The servlet for {@code /rpc}. */
    public RpcServlet rpcServlet() {
        return new RpcServlet(dispatcher, tokens, mapper);
    }

    /** The servlet for {@code /o/*}. */
    public ObjectStreamServlet objectServlet() {
        return new ObjectStreamServlet(objects, streams, tokens, mapper);
    }
}
