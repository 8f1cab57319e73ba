package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import io.restfs.api.ErrorCode;
import io.restfs.api.ParamDoc;
import io.restfs.api.RestfsException;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One callable method: its JSON-RPC name, the Java method behind it and its parameters' names, which come from
 * jsonrpc4j's {@link JsonRpcParam} or from the class file (compiled with {@code -parameters}). A param is optional
 * when its type is a boxed one or its {@link ParamDoc} says so.
 */
record RpcMethod(String name, RpcService service, Method method, List<Param> params) {

    record Param(String name, Class<?> type, Type genericType, boolean optional) {
    }

    /** Every public method of every service, by JSON-RPC name; an overloaded name is refused (JSON-RPC has none). */
    static Map<String, RpcMethod> table(List<RpcService> services) {
        Map<String, RpcMethod> t = new LinkedHashMap<>();
        for (RpcService s : services) {
            for (Method m : s.api().getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getDeclaringClass() == Object.class) {
                    continue;
                }
                String name = s.name().isEmpty() ? m.getName() : s.name() + "." + m.getName();
                List<Param> params = new ArrayList<>();
                for (Parameter p : m.getParameters()) {
                    JsonRpcParam named = p.getAnnotation(JsonRpcParam.class);
                    String pn = named != null ? named.value() : p.getName();
                    ParamDoc words = p.getAnnotation(ParamDoc.class);
                    boolean optional = JsonSchemas.optional(p.getType()) || (words != null && words.optional());
                    params.add(new Param(pn, p.getType(), p.getParameterizedType(), optional));
                }
                if (t.put(name, new RpcMethod(name, s, m, List.copyOf(params))) != null) {
                    throw new IllegalArgumentException("method " + name + " is overloaded; JSON-RPC names one method");
                }
            }
        }
        return t;
    }

    /**
     * The call's params as a full positional array: named params put in order, left-out optional ones filled with
     * null. A missing required param, an unknown name or too many values is {@link ErrorCode#INVALID_PARAMS}.
     */
    ArrayNode positional(JsonNode given) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (given == null || given.isArray()) {
            int n = given == null ? 0 : given.size();
            if (n > params.size()) {
                throw invalid("takes " + params.size() + " params " + names() + ", got " + n);
            }
            for (int i = 0; i < params.size(); i++) {
                out.add(i < n ? given.get(i) : JsonNodeFactory.instance.nullNode());
            }
        } else {
            ObjectNode named = (ObjectNode) given;
            for (Iterator<String> it = named.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (params.stream().noneMatch(p -> p.name().equals(f))) {
                    throw invalid("has no param '" + RpcErrors.cut(f) + "'; its params are " + names());
                }
            }
            for (Param p : params) {
                JsonNode v = named.get(p.name());
                out.add(v == null ? JsonNodeFactory.instance.nullNode() : v);
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            JsonNode v = out.get(i);
            if (v.isNull()) {
                if (!p.optional()) {
                    throw invalid("needs param '" + p.name() + "'");
                }
            } else if (!shapeFits(p.type(), v)) {
                throw invalid("param '" + p.name() + "' must be " + article(JsonSchemas.jsonTypeName(p.type()))
                        + (p.type() == byte[].class ? " (base64)" : "") + ", got " + describe(v));
            }
        }
        return out;
    }

    /**
     * Whether {@code v} has the JSON type that {@code type} is written as. Checked here because Jackson, left to
     * itself, reads a number as a one-byte array and similar conveniences a strict API should refuse.
     */
    private static boolean shapeFits(Class<?> type, JsonNode v) {
        return switch (JsonSchemas.jsonTypeName(type)) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber() && (v.canConvertToInt()
                    || (v.canConvertToLong() && (type == long.class || type == Long.class)));
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "array" -> v.isArray();
            case "object" -> type == Object.class || v.isObject();
            default -> true;
        };
    }

    private static String article(String jsonType) {
        return (jsonType.startsWith("a") || jsonType.startsWith("i") || jsonType.startsWith("o") ? "an " : "a ")
                + jsonType;
    }

    private static String describe(JsonNode v) {
        if (v.isIntegralNumber() && !v.canConvertToLong()) {
            return "an integer out of range";
        }
        if (v.isIntegralNumber() && !v.canConvertToInt()) {
            return "an integer beyond 32 bits";
        }
        return article(v.getNodeType().name().toLowerCase());
    }

    private List<String> names() {
        return params.stream().map(Param::name).toList();
    }

    private RestfsException invalid(String what) {
        return new RestfsException(ErrorCode.INVALID_PARAMS, name + " " + what);
    }
}
