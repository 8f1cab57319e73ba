package io.restfs.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an API method does, in the words a client author reads: the node's OpenRPC document ({@code rpc.discover})
 * is written from these, so they are kept beside the method they describe.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MethodDoc {
    /** One line: what the method does. */
    String summary();

    /** The rest a caller needs: rules, defaults, limits, how the result is ordered. */
    String description();

    /** What the result holds. */
    String result();

    /**
     * The errors the method itself can end in. Those every call can end in (a missing or unknown token, a right the
     * token lacks, a malformed param, an internal failure) are added by the document writer from the access rule.
     */
    ErrorCode[] errors() default {};
}
