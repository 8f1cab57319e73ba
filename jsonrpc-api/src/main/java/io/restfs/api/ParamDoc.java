package io.restfs.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** What an API method's parameter means, for the node's OpenRPC document; see {@link MethodDoc}. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ParamDoc {
    String value();

    /**
     * Whether the param may be left out or null. Boxed numbers and booleans always may; this marks other types
     * (a String cursor, say) that may.
     */
    boolean optional() default false;
}
