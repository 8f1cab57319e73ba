package io.restfs.node.rpc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.jsonrpc4j.ErrorResolver;
import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The one place where exceptions become JSON-RPC error objects: a {@link RestfsException} keeps its stable code and
 * detail, a parameter that does not convert is {@link ErrorCode#INVALID_PARAMS}, and anything else is
 * {@link ErrorCode#INTERNAL_ERROR} with no class name or stack trace in the response (it is logged instead).
 */
public final class RpcErrors implements ErrorResolver {
    private static final Logger LOG = LoggerFactory.getLogger(RpcErrors.class);

    /** Longest detail text sent back; a detail quoting a caller's giant string is cut, not echoed whole. */
    static final int MAX_DETAIL_CHARS = 300;

    @Override
    public JsonError resolveError(Throwable t, Method method, List<JsonNode> arguments) {
        RestfsException e = toRestfs(t, method == null ? "call" : method.getDeclaringClass().getSimpleName() + "."
                + method.getName());
        return new JsonError(e.code().code(), e.code().message(), cut(e.detail()));
    }

    /** Maps any failure of a call to the exception the caller sees; logs what is not the caller's fault. */
    public static RestfsException toRestfs(Throwable t, String what) {
        Throwable c = unwrap(t);
        if (c instanceof RestfsException r) {
            if (r.code() == ErrorCode.INTERNAL_ERROR) {
                LOG.warn("{} failed: {}", what, r.detail(), r);
            }
            return r;
        }
        if (c instanceof JacksonException j) {
            return new RestfsException(ErrorCode.INVALID_PARAMS, describe(j));
        }
        if (c instanceof IllegalArgumentException i) {
            // Services throw it for arguments they refuse; the message is written for the caller.
            return new RestfsException(ErrorCode.INVALID_PARAMS, String.valueOf(i.getMessage()));
        }
        long incident = System.nanoTime();
        LOG.error("{} failed unexpectedly (incident {})", what, Long.toHexString(incident), c);
        return new RestfsException(ErrorCode.INTERNAL_ERROR, "the node failed to complete the call; incident "
                + Long.toHexString(incident) + " is in its log");
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof InvocationTargetException || c instanceof UndeclaredThrowableException
                || c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A JSON-RPC error object: {@code code}, the code's short {@code message}, and the detail as {@code data}. */
    public static ObjectNode errorObject(ErrorCode code, String detail) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("code", code.code());
        e.put("message", code.message());
        if (detail != null) {
            e.put("data", cut(detail));
        }
        return e;
    }

    /** A whole JSON-RPC response carrying an error for request {@code id} (null when it could not be read). */
    public static ObjectNode errorResponse(JsonNode id, ErrorCode code, String detail) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("jsonrpc", "2.0");
        r.set("error", errorObject(code, detail));
        r.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        return r;
    }

    /**
     * Jackson's own messages name Java types; the caller gets the JSON type that was expected and where instead.
     */
    private static String describe(JacksonException j) {
        StringBuilder b = new StringBuilder("a parameter has the wrong type or value");
        if (j instanceof MismatchedInputException m && m.getTargetType() != null) {
            b.append(": expected ").append(JsonSchemas.jsonTypeName(m.getTargetType()));
        }
        if (j instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            if (path.length() > 0) {
                b.append(" at ").append(path);
            }
        }
        return b.toString();
    }

    /** A qualified Java class name (package, then a capitalised simple name); never shown to callers. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");

    static String cut(String s) {
        if (s == null) {
            return null;
        }
        s = CLASS_NAME.matcher(s).replaceAll("(type)");
        return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
