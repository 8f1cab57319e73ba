package io.restfs.dht.node;

import io.restfs.dht.env.Clock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Write tokens for announce_peer and BEP 44 put (BEP 5): an HMAC of the requester's IP under a secret that
 * rotates every five minutes; a token is accepted under the current or the previous secret, so it stays
 * valid for five to ten minutes. Secrets come from the injected random.
 */
public final class TokenIssuer {
    /** BEP 5: "tokens up to ten minutes old are accepted"; rotating every five keeps the window 5-10 minutes. */
    public static final long ROTATE_MILLIS = 5 * 60_000L;
    /** Eight bytes of HMAC are plenty against guessing within ten minutes, and keep responses small. */
    public static final int TOKEN_LENGTH = 8;

    private final Clock clock;
    private final RandomGenerator random;
    private byte[] current;
    private byte[] previous;
    private long rotatedAt;

    public TokenIssuer(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
        this.current = newSecret();
        this.previous = newSecret();
        this.rotatedAt = clock.nowMillis();
    }

    public byte[] issue(InetAddress requester) {
        rotateIfDue();
        return mac(current, requester);
    }

    public boolean isValid(InetAddress requester, byte[] token) {
        if (token == null || token.length != TOKEN_LENGTH) {
            return false;
        }
        rotateIfDue();
        return MessageDigest.isEqual(token, mac(current, requester))
                || MessageDigest.isEqual(token, mac(previous, requester));
    }

    private void rotateIfDue() {
        long now = clock.nowMillis();
        long steps = (now - rotatedAt) / ROTATE_MILLIS;
        if (steps <= 0) {
            return;
        }
        previous = steps == 1 ? current : newSecret();
        current = newSecret();
        rotatedAt += steps * ROTATE_MILLIS;
    }

    private byte[] newSecret() {
        byte[] s = new byte[32];
        random.nextBytes(s);
        return s;
    }

    private static byte[] mac(byte[] secret, InetAddress requester) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(requester.getAddress()), TOKEN_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("every JDK has HmacSHA256", e);
        }
    }
}
