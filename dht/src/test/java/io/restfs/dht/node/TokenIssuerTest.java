package io.restfs.dht.node;

import io.restfs.dht.env.VirtualTime;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenIssuerTest {
    @Test
    void tokenIsValidForItsAddressForFiveToTenMinutesOnly() throws Exception {
        VirtualTime time = new VirtualTime();
        TokenIssuer issuer = new TokenIssuer(time, new SplittableRandom(1));
        InetAddress a = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        InetAddress b = InetAddress.getByAddress(new byte[] {10, 0, 0, 2});
        byte[] token = issuer.issue(a);
        assertTrue(issuer.isValid(a, token));
        assertFalse(issuer.isValid(b, token), "bound to the requester's IP");
        time.advance(TokenIssuer.ROTATE_MILLIS + 1);
        assertTrue(issuer.isValid(a, token), "still valid under the previous secret");
        time.advance(TokenIssuer.ROTATE_MILLIS);
        assertFalse(issuer.isValid(a, token), "expired after two rotations");
        assertFalse(issuer.isValid(a, new byte[3]));
    }
}
