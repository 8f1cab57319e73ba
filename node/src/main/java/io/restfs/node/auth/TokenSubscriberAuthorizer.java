package io.restfs.node.auth;

import io.restfs.node.pubsub.SubscriberAuthorizer;

import java.util.Optional;

/**
 * Lets API clients subscribe to pub/sub topics with their bearer token: {@code bucket.<name>} needs read rights on
 * the bucket; any other topic (cluster membership) needs an admin token.
 */
public final class TokenSubscriberAuthorizer implements SubscriberAuthorizer {
    private static final String BUCKET_TOPIC = "bucket.";

    private final TokenStore tokens;

    public TokenSubscriberAuthorizer(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public boolean maySubscribe(String bearerToken, String topic) {
        Optional<Grant> grant = tokens.lookup(bearerToken);
        if (grant.isEmpty() || topic == null) {
            return false;
        }
        if (topic.startsWith(BUCKET_TOPIC)) {
            return grant.get().allows(Right.READ, topic.substring(BUCKET_TOPIC.length()));
        }
        return grant.get().allows(Right.ADMIN, null);
    }
}
