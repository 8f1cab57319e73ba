package io.restfs.api;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every API method and param is described for the OpenRPC document, where client authors read it. */
class ApiDocsTest {
    private static final List<Class<?>> APIS = List.of(BucketApi.class, ObjectApi.class, SegmentApi.class,
            ClusterApi.class);

    @Test
    void everyMethodAndParamOfTheApiIsDescribed() {
        List<String> missing = new ArrayList<>();
        for (Class<?> api : APIS) {
            for (Method m : api.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
                    continue;
                }
                String where = api.getSimpleName() + "." + m.getName();
                MethodDoc d = m.getAnnotation(MethodDoc.class);
                if (d == null) {
                    missing.add(where + ": no @MethodDoc");
                } else if (d.summary().isBlank() || d.description().isBlank() || d.result().isBlank()) {
                    missing.add(where + ": a blank summary, description or result");
                }
                for (Parameter p : m.getParameters()) {
                    ParamDoc pd = p.getAnnotation(ParamDoc.class);
                    if (pd == null || pd.value().isBlank()) {
                        missing.add(where + " param " + p.getName() + ": no @ParamDoc");
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void aMethodListsNoErrorTwiceAndNoneThatEveryCallMeets() {
        List<String> wrong = new ArrayList<>();
        for (Class<?> api : APIS) {
            for (Method m : api.getMethods()) {
                MethodDoc d = m.getAnnotation(MethodDoc.class);
                if (d == null) {
                    continue;
                }
                List<ErrorCode> seen = new ArrayList<>();
                for (ErrorCode c : d.errors()) {
                    if (seen.contains(c) || c == ErrorCode.UNAUTHORIZED || c == ErrorCode.FORBIDDEN
                            || c == ErrorCode.INTERNAL_ERROR || c.code() <= -32600 && c.code() >= -32700
                            && c != ErrorCode.INVALID_PARAMS) {
                        wrong.add(api.getSimpleName() + "." + m.getName() + ": " + c);
                    }
                    seen.add(c);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
