package io.restfs.node.rpc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import io.restfs.node.auth.BearerToken;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * JSON-RPC 2.0 over HTTP POST: checks the bearer token and the body's size before reading it, parses it with a
 * bounded parser, and hands it to a {@link RpcDispatcher}. Every answer is a JSON-RPC response (HTTP 200), nothing
 * (204, when every request was a notification), or a JSON-RPC error with 401 (no valid token) or 413 (too large).
 */
public final class RpcServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RpcServlet.class);
    static final String JSON_TYPE = "application/json";

    private final transient RpcDispatcher dispatcher;
    private final transient TokenStore tokens;
    private final transient ObjectMapper mapper;
    private final long maxRequestBytes;

    public RpcServlet(RpcDispatcher dispatcher, TokenStore tokens, ObjectMapper mapper) {
        this(dispatcher, tokens, mapper, Limits.MAX_REQUEST_BYTES);
    }

    RpcServlet(RpcDispatcher dispatcher, TokenStore tokens, ObjectMapper mapper, long maxRequestBytes) {
        this.dispatcher = dispatcher;
        this.tokens = tokens;
        this.mapper = mapper;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            serve(req, resp);
        } catch (RuntimeException e) {
            // A broken token store, say: the caller gets a JSON-RPC error, the operator the log line.
            LOG.error("JSON-RPC request failed before dispatch", e);
            if (!resp.isCommitted()) {
                resp.reset();
                reply(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, RpcErrors.errorResponse(null,
                        ErrorCode.INTERNAL_ERROR, "the node could not serve the request; the cause is in its log"));
            }
        }
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Grant> caller = BearerToken.fromHeader(req.getHeader("Authorization")).flatMap(tokens::lookup);
        if (caller.isEmpty()) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"restfs\"");
            String why = req.getHeader("Authorization") == null ? "no bearer token (send Authorization: Bearer TOKEN)"
                    : "the bearer token is not valid on this node";
            reply(resp, HttpServletResponse.SC_UNAUTHORIZED, RpcErrors.errorResponse(null, ErrorCode.UNAUTHORIZED, why));
            return;
        }
        long declared = req.getContentLengthLong();
        if (declared > maxRequestBytes) {
            tooLarge(resp, "the request declares " + declared + " bytes");
            return;
        }
        byte[] body;
        try (InputStream in = new BoundedInputStream(req.getInputStream(), maxRequestBytes)) {
            body = in.readAllBytes();
        } catch (BoundedInputStream.TooLarge e) {
            tooLarge(resp, "the request ran past the limit");
            return;
        }
        JsonNode parsed;
        try {
            parsed = mapper.readTree(body);
        } catch (JacksonException e) {
            reply(resp, HttpServletResponse.SC_OK, RpcErrors.errorResponse(null, ErrorCode.PARSE_ERROR,
                    "not valid JSON" + location(e)));
            return;
        }
        if (parsed == null || parsed.isMissingNode()) {
            reply(resp, HttpServletResponse.SC_OK, RpcErrors.errorResponse(null, ErrorCode.PARSE_ERROR, "empty body"));
            return;
        }
        Optional<JsonNode> answer;
        try {
            answer = dispatcher.handle(parsed, caller.get());
        } catch (RuntimeException e) {
            LOG.error("JSON-RPC request failed unexpectedly", e);
            answer = Optional.of(RpcErrors.errorResponse(null, ErrorCode.INTERNAL_ERROR, "the node failed the request"));
        }
        if (answer.isEmpty()) {
            resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        reply(resp, HttpServletResponse.SC_OK, answer.get());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Allow", "POST");
        reply(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, RpcErrors.errorResponse(null, ErrorCode.INVALID_REQUEST,
                "JSON-RPC requests are sent with POST"));
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }

    private void tooLarge(HttpServletResponse resp, String what) throws IOException {
        // The rest of the body is not read; closing the connection saves receiving it.
        resp.setHeader("Connection", "close");
        reply(resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, RpcErrors.errorResponse(null, ErrorCode.TOO_LARGE,
                what + "; at most " + maxRequestBytes + " bytes are accepted (use PUT /o/BUCKET/PATH for large bodies)"));
    }

    private static String location(JacksonException e) {
        if (e.getLocation() == null) {
            return "";
        }
        return " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private void reply(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType(JSON_TYPE);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
