package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.api.ErrorCode;
import io.restfs.api.ObjectApi;
import io.restfs.api.ObjectInfo;
import io.restfs.api.ObjectType;
import io.restfs.api.RestfsException;
import io.restfs.node.auth.BearerToken;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.Right;
import io.restfs.node.auth.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Object bodies over plain HTTP, mounted at {@code /o/*}: {@code PUT /o/BUCKET/PATH} streams the request body into a
 * new version ({@code ?expectedVersion=N} for compare-and-swap), {@code GET} streams it back, one {@code Range} of
 * bytes answered with 206. Same bearer tokens as {@code /rpc}; errors are a JSON body {@code {"error": {code,
 * message, data}}} with a matching HTTP status.
 */
public final class ObjectStreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStreamServlet.class);

    /** The response header carrying the version a GET sent or a PUT made. */
    public static final String VERSION_HEADER = "X-Restfs-Version";

    private final transient ObjectApi objects;
    private final transient ObjectStreams streams;
    private final transient TokenStore tokens;
    private final transient ObjectMapper mapper;

    public ObjectStreamServlet(ObjectApi objects, ObjectStreams streams, TokenStore tokens, ObjectMapper mapper) {
        this.objects = objects;
        this.streams = streams;
        this.tokens = tokens;
        this.mapper = mapper;
    }

    private record Target(String bucket, String path) {
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            Target t = target(req, Right.WRITE);
            long length = req.getContentLengthLong();
            if (length < 0) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, "a PUT needs a Content-Length header");
            }
            Long expected = longParam(req, "expectedVersion");
            ObjectInfo info = streams.put(t.bucket(), t.path(), req.getInputStream(), length, expected);
            byte[] body = mapper.writeValueAsBytes(info);
            resp.setStatus(HttpServletResponse.SC_CREATED);
            resp.setHeader(VERSION_HEADER, Long.toString(info.version()));
            resp.setContentType(RpcServlet.JSON_TYPE);
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        } catch (RestfsException e) {
            failPut(resp, e);
        } catch (RuntimeException e) {
            failPut(resp, RpcErrors.toRestfs(e, "PUT " + req.getPathInfo()));
        }
    }

    /**
     * A refused PUT may leave its body unread (or, after {@code Expect: 100-continue}, unsent): the connection is
     * closed after the answer so that neither side mistakes what follows for the next request.
     */
    private void failPut(HttpServletResponse resp, RestfsException e) throws IOException {
        resp.setHeader("Connection", "close");
        fail(resp, e);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        get(req, resp, true);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        get(req, resp, false);
    }

    private void get(HttpServletRequest req, HttpServletResponse resp, boolean withBody) throws IOException {
        ObjectInfo info;
        long offset;
        long length;
        try {
            Target t = target(req, Right.READ);
            Long version = longParam(req, "version");
            info = objects.stat(t.bucket(), t.path(), version);
            if (info.type() == ObjectType.DIRECTORY) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, t.path() + " is a directory");
            }
            Optional<ByteRange> range;
            try {
                range = ByteRange.parse(req.getHeader("Range"), info.size());
            } catch (ByteRange.Unsatisfiable e) {
                resp.setHeader("Content-Range", "bytes */" + info.size());
                resp.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
                return;
            }
            offset = range.map(ByteRange::first).orElse(0L);
            length = range.map(ByteRange::length).orElse(info.size());
            resp.setHeader("Accept-Ranges", "bytes");
            resp.setHeader("ETag", "\"" + info.version() + "-" + info.sha256() + "\"");
            resp.setHeader(VERSION_HEADER, Long.toString(info.version()));
            resp.setContentType("application/octet-stream");
            resp.setContentLengthLong(length);
            if (range.isPresent()) {
                resp.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
                resp.setHeader("Content-Range", "bytes " + range.get().first() + "-" + range.get().last() + "/"
                        + info.size());
            } else {
                resp.setStatus(HttpServletResponse.SC_OK);
            }
            if (!withBody || length == 0) {
                return;
            }
            streams.get(t.bucket(), t.path(), info.version(), offset, length, resp.getOutputStream());
        } catch (RestfsException e) {
            if (resp.isCommitted()) {
                // Headers are out: the only honest signal left is a connection closed short of Content-Length.
                LOG.warn("GET {} failed after the response started: {}", req.getPathInfo(), e.toString());
                throw new IOException("object read failed: " + e.getMessage(), e);
            }
            resp.reset();
            fail(resp, e);
        } catch (RuntimeException e) {
            RestfsException r = RpcErrors.toRestfs(e, "GET " + req.getPathInfo());
            if (resp.isCommitted()) {
                throw new IOException("object read failed", r);
            }
            resp.reset();
            fail(resp, r);
        }
    }

    private Target target(HttpServletRequest req, Right right) {
        Grant caller = BearerToken.fromHeader(req.getHeader("Authorization")).flatMap(tokens::lookup)
                .orElseThrow(() -> new RestfsException(ErrorCode.UNAUTHORIZED, "no valid bearer token"));
        String info = req.getPathInfo();
        if (info == null || info.length() < 2) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "the URL must be /o/BUCKET/PATH");
        }
        int slash = info.indexOf('/', 1);
        String bucket = slash < 0 ? info.substring(1) : info.substring(1, slash);
        String path = slash < 0 ? "/" : info.substring(slash);
        if (!caller.allows(right, bucket)) {
            throw new RestfsException(ErrorCode.FORBIDDEN, "needs " + right.name().toLowerCase()
                    + " rights on bucket '" + RpcErrors.cut(bucket) + "'");
        }
        return new Target(bucket, path);
    }

    private static Long longParam(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "query parameter " + name + " must be a number");
        }
    }

    /** The HTTP status that goes with each error code, so plain HTTP clients can branch without reading the body. */
    static int httpStatus(ErrorCode code) {
        return switch (code) {
            case UNAUTHORIZED -> HttpServletResponse.SC_UNAUTHORIZED;
            case FORBIDDEN -> HttpServletResponse.SC_FORBIDDEN;
            case NOT_FOUND -> HttpServletResponse.SC_NOT_FOUND;
            case ALREADY_EXISTS, CONFLICT, NOT_EMPTY -> HttpServletResponse.SC_CONFLICT;
            case TOO_LARGE -> HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE;
            case PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS, METHOD_NOT_FOUND -> HttpServletResponse.SC_BAD_REQUEST;
            case INSUFFICIENT_NODES, UNAVAILABLE, NOT_READY -> HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            case CAPACITY_EXCEEDED -> 507;
            case INTEGRITY, INTERNAL_ERROR -> HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        };
    }

    private void fail(HttpServletResponse resp, RestfsException e) throws IOException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", RpcErrors.errorObject(e.code(), e.detail()));
        byte[] bytes = mapper.writeValueAsBytes(body);
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"restfs\"");
        }
        resp.setStatus(httpStatus(e.code()));
        resp.setContentType(RpcServlet.JSON_TYPE);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
