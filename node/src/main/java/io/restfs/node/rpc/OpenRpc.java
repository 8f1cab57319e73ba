package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.api.ErrorCode;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The OpenRPC document {@code rpc.discover} returns, written by reflection from the services' interfaces. */
final class OpenRpc {
    /** The OpenRPC specification version the document follows. */
    static final String VERSION = "1.2.6";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Errors any service call may end in, besides those of its access rule. */
    private static final Set<ErrorCode> SERVICE_ERRORS = EnumSet.of(ErrorCode.INVALID_PARAMS,
            ErrorCode.INTERNAL_ERROR, ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS, ErrorCode.CONFLICT,
            ErrorCode.NOT_EMPTY, ErrorCode.INSUFFICIENT_NODES, ErrorCode.UNAVAILABLE, ErrorCode.CAPACITY_EXCEEDED,
            ErrorCode.TOO_LARGE, ErrorCode.INTEGRITY, ErrorCode.NOT_READY);

    private OpenRpc() {
    }

    static ObjectNode document(String title, Map<String, RpcMethod> methods, Map<String, AccessRule> rules) {
        ObjectNode doc = F.objectNode();
        doc.put("openrpc", VERSION);
        ObjectNode info = doc.putObject("info");
        info.put("title", title);
        String v = OpenRpc.class.getPackage().getImplementationVersion();
        info.put("version", v == null ? "0.1.0-dev" : v);
        ArrayNode list = doc.putArray("methods");
        for (RpcMethod m : methods.values()) {
            ObjectNode mo = list.addObject();
            mo.put("name", m.name());
            mo.put("summary", summary(rules.get(m.name())));
            mo.put("paramStructure", "either");
            ArrayNode params = mo.putArray("params");
            for (RpcMethod.Param p : m.params()) {
                ObjectNode po = params.addObject();
                po.put("name", p.name());
                po.put("required", !p.optional());
                po.set("schema", JsonSchemas.schema(p.genericType()));
            }
            ObjectNode result = mo.putObject("result");
            result.put("name", m.method().getName() + "Result");
            result.set("schema", JsonSchemas.schema(m.method().getGenericReturnType()));
            ArrayNode errors = mo.putArray("errors");
            EnumSet<ErrorCode> codes = EnumSet.of(ErrorCode.UNAUTHORIZED);
            AccessRule rule = rules.get(m.name());
            if (rule instanceof AccessRule.Admin || rule instanceof AccessRule.OnBucket) {
                codes.add(ErrorCode.FORBIDDEN);
            }
            codes.addAll(SERVICE_ERRORS);
            for (ErrorCode c : codes) {
                errors.addObject().put("code", c.code()).put("message", c.message());
            }
        }
        return doc;
    }

    private static String summary(AccessRule rule) {
        if (rule instanceof AccessRule.Admin) {
            return "needs an admin token";
        }
        if (rule instanceof AccessRule.OnBucket b) {
            return "needs " + b.right().name().toLowerCase() + " rights on the bucket";
        }
        if (rule instanceof AccessRule.FilteredList f) {
            return "any valid token; lists what the token may " + f.right().name().toLowerCase();
        }
        return "any valid token";
    }
}
