package io.restfs.node.rpc;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.restfs.api.Limits;

/** The Jackson mapper of the API server: strict about types, bounded in what it will parse. */
public final class RpcJson {
    /** No API value nests deeper than a few levels; 64 leaves room and stops stack-eating documents early. */
    static final int MAX_NESTING = 64;
    /** A long has 19 digits; 100 leaves room for any honest number and refuses megabyte-long ones. */
    static final int MAX_NUMBER_CHARS = 100;

    private RpcJson() {
    }

    public static JsonMapper mapper() {
        JsonMapper m = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxStringLength(Limits.MAX_REQUEST_BYTES)
                .build());
        return m;
    }
}
