package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.api.ErrorCode;
import io.restfs.api.MethodDoc;
import io.restfs.api.ParamDoc;

import java.lang.reflect.Parameter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The OpenRPC document {@code rpc.discover} returns: names and schemas by reflection from the services' interfaces,
 * words from their {@link MethodDoc} and {@link ParamDoc} annotations, and the errors of each method's access rule.
 */
final class OpenRpc {
    /** The OpenRPC specification version the document follows. */
    static final String VERSION = "1.2.6";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final String API_DESCRIPTION = "JSON-RPC 2.0 over HTTP POST /rpc; every call needs a bearer"
            + " token (Authorization: Bearer T) granting read, write or admin on named buckets. Errors carry a"
            + " stable code and its short message, with a detail for a person to read in data. Objects are named"
            + " by bucket and absolute path; large bodies stream over PUT and GET /o/{bucket}/{path}.";

    private OpenRpc() {
    }

    static ObjectNode document(String title, Map<String, RpcMethod> methods, Map<String, AccessRule> rules) {
        ObjectNode doc = F.objectNode();
        doc.put("openrpc", VERSION);
        ObjectNode info = doc.putObject("info");
        info.put("title", title);
        info.put("description", API_DESCRIPTION);
        String v = OpenRpc.class.getPackage().getImplementationVersion();
        info.put("version", v == null ? "0.1.0-dev" : v);
        ArrayNode list = doc.putArray("methods");
        for (RpcMethod m : methods.values()) {
            list.add(method(m, rules.get(m.name())));
        }
        return doc;
    }

    private static ObjectNode method(RpcMethod m, AccessRule rule) {
        MethodDoc words = m.method().getAnnotation(MethodDoc.class);
        ObjectNode mo = F.objectNode();
        mo.put("name", m.name());
        String access = access(rule);
        if (words != null) {
            mo.put("summary", words.summary());
            mo.put("description", words.description() + " Access: " + access + ".");
        } else {
            mo.put("summary", access);
        }
        mo.put("paramStructure", "either");
        ArrayNode params = mo.putArray("params");
        Parameter[] declared = m.method().getParameters();
        List<RpcMethod.Param> ps = m.params();
        for (int i = 0; i < ps.size(); i++) {
            RpcMethod.Param p = ps.get(i);
            ObjectNode po = params.addObject();
            po.put("name", p.name());
            ParamDoc pd = declared[i].getAnnotation(ParamDoc.class);
            if (pd != null) {
                po.put("description", pd.value());
            }
            po.put("required", !p.optional());
            po.set("schema", JsonSchemas.schema(p.genericType()));
        }
        ObjectNode result = mo.putObject("result");
        result.put("name", m.method().getName() + "Result");
        if (words != null) {
            result.put("description", words.result());
        }
        result.set("schema", JsonSchemas.schema(m.method().getGenericReturnType()));
        ArrayNode errors = mo.putArray("errors");
        for (ErrorCode c : errors(rule, !ps.isEmpty(), words)) {
            errors.addObject().put("code", c.code()).put("message", c.message());
        }
        return mo;
    }

    /**
     * The errors a call of the method can end in: those of its access rule, INVALID_PARAMS when it takes params,
     * its own from {@link MethodDoc#errors()}, and INTERNAL_ERROR, which any call can meet.
     */
    private static EnumSet<ErrorCode> errors(AccessRule rule, boolean takesParams, MethodDoc words) {
        EnumSet<ErrorCode> codes = EnumSet.of(ErrorCode.UNAUTHORIZED, ErrorCode.INTERNAL_ERROR);
        if (rule instanceof AccessRule.Admin || rule instanceof AccessRule.OnBucket) {
            codes.add(ErrorCode.FORBIDDEN);
        }
        if (takesParams) {
            codes.add(ErrorCode.INVALID_PARAMS);
        }
        if (words != null) {
            codes.addAll(List.of(words.errors()));
        }
        return codes;
    }

    private static String access(AccessRule rule) {
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
