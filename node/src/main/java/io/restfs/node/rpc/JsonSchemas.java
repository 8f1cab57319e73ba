package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** JSON Schema for the Java types the API uses, as Jackson writes them; for the OpenRPC document and messages. */
final class JsonSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final Set<Class<?>> INTEGERS = Set.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class, byte.class, Byte.class);

    private JsonSchemas() {
    }

    /** The JSON type a value of {@code c} is written as: string, integer, number, boolean, array, object. */
    static String jsonTypeName(Class<?> c) {
        if (c == String.class || c == byte[].class || c.isEnum() || c == char.class || c == Character.class) {
            return "string";
        }
        if (INTEGERS.contains(c)) {
            return "integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class
                || Number.class.isAssignableFrom(c)) {
            return "number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        if (c.isArray() || Collection.class.isAssignableFrom(c)) {
            return "array";
        }
        if (c == void.class || c == Void.class) {
            return "null";
        }
        return "object";
    }

    /** Whether a parameter of this type may be left out or null: the boxed ones are the API's optional values. */
    static boolean optional(Class<?> c) {
        return c == Long.class || c == Integer.class || c == Boolean.class || c == Double.class;
    }

    static ObjectNode schema(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode s = F.objectNode().put("type", "array");
                s.set("items", schema(p.getActualTypeArguments()[0]));
                return s;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode s = F.objectNode().put("type", "object");
                s.set("additionalProperties", schema(p.getActualTypeArguments()[1]));
                return s;
            }
            return schema(raw);
        }
        if (!(type instanceof Class<?> c)) {
            return F.objectNode();
        }
        ObjectNode s = F.objectNode();
        String name = jsonTypeName(c);
        s.put("type", name);
        if (c == byte[].class) {
            s.put("contentEncoding", "base64");
        } else if (c.isEnum()) {
            ArrayNode values = s.putArray("enum");
            for (Object v : c.getEnumConstants()) {
                values.add(((Enum<?>) v).name());
            }
        } else if (c == int.class || c == Integer.class) {
            s.put("format", "int32");
        } else if (c == long.class || c == Long.class) {
            s.put("format", "int64");
        } else if (c.isRecord()) {
            s.put("title", c.getSimpleName());
            ObjectNode props = s.putObject("properties");
            ArrayNode required = s.putArray("required");
            for (RecordComponent rc : c.getRecordComponents()) {
                props.set(rc.getName(), schema(rc.getGenericType()));
                if (rc.getType().isPrimitive()) {
                    required.add(rc.getName());
                }
            }
        }
        return s;
    }
}
