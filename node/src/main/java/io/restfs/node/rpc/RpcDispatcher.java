package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.jsonrpc4j.JsonRpcBasicServer;
import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import io.restfs.api.RestfsException;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.Right;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON-RPC 2.0 exactly as the specification says: this class reads the envelope (single call or batch, ids,
 * notifications) and checks the caller's rights; jsonrpc4j then converts params and invokes the service method.
 * jsonrpc4j is given only well-formed, single, positional calls, because on its own it answers notifications, treats
 * an empty batch as a success and reports bad envelopes with non-null ids.
 */
public final class RpcDispatcher {
    static final String DISCOVER = "rpc.discover";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Id given to jsonrpc4j for every call; the caller's own id is put back on the response here. */
    private static final int INNER_ID = 1;

    /** Told of every call and every error answer, for the node's metrics. */
    public interface CallCounter {
        CallCounter NONE = new CallCounter() {
            @Override
            public void called(String method) {
            }

            @Override
            public void failed(String method, int code) {
            }
        };

        /** {@code method} is a known method name, {@value #UNKNOWN_METHOD} or {@value #INVALID_REQUEST}. */
        void called(String method);

        void failed(String method, int code);
    }

    /** The metrics label of calls to methods that do not exist; their names would make labels without bound. */
    public static final String UNKNOWN_METHOD = "unknown";
    /** The metrics label of requests too malformed to name a method. */
    public static final String INVALID_REQUEST = "invalid";

    private final Map<String, RpcMethod> methods;
    private volatile CallCounter counter = CallCounter.NONE;
    private final Map<String, AccessRule> rules;
    private final Map<RpcService, Invoker> invokers = new HashMap<>();
    private final ObjectNode openRpc;

    /** Every method of every service needs a rule in {@code rules}, so no method is left unguarded by mistake. */
    public RpcDispatcher(List<RpcService> services, Map<String, AccessRule> rules, ObjectMapper mapper, String title) {
        this.methods = RpcMethod.table(services);
        for (String m : methods.keySet()) {
            if (!rules.containsKey(m)) {
                throw new IllegalArgumentException("method " + m + " has no access rule");
            }
        }
        this.rules = Map.copyOf(rules);
        RpcErrors errors = new RpcErrors();
        for (RpcService s : services) {
            Invoker inv = new Invoker(mapper, s);
            inv.setErrorResolver(errors);
            inv.setShouldLogInvocationErrors(false);
            inv.setRethrowExceptions(false);
            invokers.put(s, inv);
        }
        this.openRpc = OpenRpc.document(title, methods, this.rules);
    }

    /** Counts calls and errors in {@code c} from now on. */
    public void countCallsIn(CallCounter c) {
        this.counter = c;
    }

    /** The OpenRPC document {@code rpc.discover} returns. */
    public ObjectNode openRpcDocument() {
        return openRpc.deepCopy();
    }

    /** Answers a parsed request body: a response, a batch of them, or nothing (notifications only). */
    public Optional<JsonNode> handle(JsonNode body, Grant caller) {
        if (!body.isArray()) {
            return Optional.ofNullable(handleOne(body, caller));
        }
        if (body.isEmpty()) {
            return Optional.of(RpcErrors.errorResponse(null, ErrorCode.INVALID_REQUEST, "empty batch"));
        }
        if (body.size() > Limits.MAX_BATCH) {
            return Optional.of(RpcErrors.errorResponse(null, ErrorCode.TOO_LARGE, "batch of " + body.size()
                    + " requests; at most " + Limits.MAX_BATCH));
        }
        ArrayNode out = F.arrayNode();
        for (JsonNode req : body) {
            JsonNode r = handleOne(req, caller);
            if (r != null) {
                out.add(r);
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    /** One request object: its response, or null for a well-formed notification. */
    private JsonNode handleOne(JsonNode req, Grant caller) {
        if (!req.isObject()) {
            counter.called(INVALID_REQUEST);
            counter.failed(INVALID_REQUEST, ErrorCode.INVALID_REQUEST.code());
            return RpcErrors.errorResponse(null, ErrorCode.INVALID_REQUEST, "a request must be an object");
        }
        JsonNode id = req.get("id");
        boolean idOk = id == null || id.isNull() || id.isTextual() || id.isNumber();
        JsonNode replyId = idOk ? id : null;
        String problem = envelopeProblem(req, idOk);
        if (problem != null) {
            counter.called(INVALID_REQUEST);
            counter.failed(INVALID_REQUEST, ErrorCode.INVALID_REQUEST.code());
            return RpcErrors.errorResponse(replyId, ErrorCode.INVALID_REQUEST, problem);
        }
        String name = req.get("method").asText();
        String label = methods.containsKey(name) || name.equals(DISCOVER) ? name : UNKNOWN_METHOD;
        counter.called(label);
        ObjectNode outcome;
        try {
            outcome = call(name, req.get("params"), caller);
        } catch (RestfsException e) {
            outcome = F.objectNode();
            outcome.set("error", RpcErrors.errorObject(e.code(), e.detail()));
        } catch (RuntimeException e) {
            RestfsException r = RpcErrors.toRestfs(e, label);
            outcome = F.objectNode();
            outcome.set("error", RpcErrors.errorObject(r.code(), r.detail()));
        }
        if (outcome.has("error")) {
            counter.failed(label, outcome.get("error").path("code").asInt());
        }
        if (id == null) {
            return null;
        }
        ObjectNode resp = F.objectNode();
        resp.put("jsonrpc", "2.0");
        resp.setAll(outcome);
        resp.set("id", id);
        return resp;
    }

    private static String envelopeProblem(JsonNode req, boolean idOk) {
        JsonNode v = req.get("jsonrpc");
        if (v == null || !v.isTextual() || !v.asText().equals("2.0")) {
            return "member \"jsonrpc\" must be exactly \"2.0\"";
        }
        JsonNode m = req.get("method");
        if (m == null || !m.isTextual()) {
            return "member \"method\" must be a string";
        }
        JsonNode p = req.get("params");
        if (p != null && !p.isArray() && !p.isObject()) {
            return "member \"params\" must be an array or an object";
        }
        if (!idOk) {
            return "member \"id\" must be a string, a number or null";
        }
        return null;
    }

    /** Runs one call; the outcome holds {@code result} or {@code error}. */
    private ObjectNode call(String name, JsonNode params, Grant caller) {
        ObjectNode outcome = F.objectNode();
        if (name.equals(DISCOVER)) {
            if (params != null && !params.isEmpty()) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, DISCOVER + " takes no params");
            }
            outcome.set("result", openRpcDocument());
            return outcome;
        }
        RpcMethod m = methods.get(name);
        if (m == null) {
            throw new RestfsException(ErrorCode.METHOD_NOT_FOUND, "no method '" + RpcErrors.cut(name) + "'");
        }
        ArrayNode args = m.positional(params);
        AccessRule rule = rules.get(name);
        authorize(rule, caller, args, name);

        ObjectNode inner = F.objectNode();
        inner.put("jsonrpc", "2.0");
        inner.put("id", INNER_ID);
        inner.put("method", m.method().getName());
        inner.set("params", args);
        JsonNode resp = invokers.get(m.service()).invoke(inner);
        JsonNode error = resp == null ? null : resp.get("error");
        if (resp == null || (error == null && !resp.has("result"))) {
            throw new RestfsException(ErrorCode.INTERNAL_ERROR, "the call produced no response");
        }
        if (error != null) {
            outcome.set("error", sanitize(error));
            return outcome;
        }
        JsonNode result = resp.get("result");
        if (rule instanceof AccessRule.FilteredList f && result.isArray()) {
            ArrayNode kept = F.arrayNode();
            for (JsonNode item : result) {
                if (caller.allows(f.right(), item.path(f.bucketField()).asText())) {
                    kept.add(item);
                }
            }
            result = kept;
        }
        outcome.set("result", result);
        return outcome;
    }

    private static void authorize(AccessRule rule, Grant caller, ArrayNode args, String method) {
        if (rule instanceof AccessRule.Admin) {
            if (!caller.allows(Right.ADMIN, null)) {
                throw new RestfsException(ErrorCode.FORBIDDEN, method + " needs an admin token");
            }
        } else if (rule instanceof AccessRule.OnBucket b) {
            JsonNode bucket = args.get(b.param());
            if (!bucket.isTextual()) {
                throw new RestfsException(ErrorCode.INVALID_PARAMS, method + ": the bucket name must be a string");
            }
            if (!caller.allows(b.right(), bucket.asText())) {
                throw new RestfsException(ErrorCode.FORBIDDEN, method + " needs " + b.right().name().toLowerCase()
                        + " rights on bucket '" + RpcErrors.cut(bucket.asText()) + "'");
            }
        }
        // AnyToken and FilteredList: holding a valid token is enough to call.
    }

    /**
     * jsonrpc4j's own errors (a param list it cannot match, say) carry its exception data; only a code, the code's
     * message and a text detail from {@link RpcErrors} go back to the caller.
     */
    private static ObjectNode sanitize(JsonNode error) {
        int code = error.path("code").asInt(ErrorCode.INTERNAL_ERROR.code());
        ErrorCode ec = ErrorCode.of(code).orElse(ErrorCode.INTERNAL_ERROR);
        JsonNode data = error.get("data");
        return RpcErrors.errorObject(ec, data != null && data.isTextual() ? data.asText() : null);
    }

    /** jsonrpc4j's server for one service, opened up to take an already parsed, validated request. */
    private static final class Invoker extends JsonRpcBasicServer {
        Invoker(ObjectMapper mapper, RpcService s) {
            super(mapper, s.handler(), s.api());
        }

        JsonNode invoke(ObjectNode request) {
            try {
                return handleJsonNodeRequest(request).getResponse();
            } catch (java.io.IOException e) {
                throw RpcErrors.toRestfs(e, "params of " + request.path("method").asText());
            }
        }
    }
}
