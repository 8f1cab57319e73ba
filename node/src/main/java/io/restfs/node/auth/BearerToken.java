package io.restfs.node.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** The API's bearer tokens: 32 random bytes, base64url without padding, sent as {@code Authorization: Bearer T}. */
public final class BearerToken {
    /** 256 bits: as strong as the SHA-256 the store keeps of it, so guessing is never the easy way in. */
    public static final int TOKEN_BYTES = 32;

    /** 32 bytes in base64url without padding are 43 characters. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    public static String generate(SecureRandom random) {
        byte[] b = new byte[TOKEN_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Whether {@code token} has a token's shape; anything else is refused without a store lookup. */
    public static boolean wellFormed(String token) {
        return token != null && SHAPE.matcher(token).matches();
    }

    /** The token of an {@code Authorization} header value, if it is a bearer one. */
    public static Optional<String> fromHeader(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(SCHEME.length()).strip());
    }
}
