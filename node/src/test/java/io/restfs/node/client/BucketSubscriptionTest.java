package io.restfs.node.client;

import io.restfs.api.BucketEvent;
import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.api.client.BucketSubscription;
import io.restfs.api.client.RestfsClient;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.auth.TokenSubscriberAuthorizer;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;
import io.restfs.node.pubsub.Publisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RestfsClient#subscribe}: a bucket's events over a node's /ws, with the token check restfs node uses. */
class BucketSubscriptionTest {
    /** Long enough for a loaded two-core machine; events normally arrive within milliseconds. */
    static final long EVENT_WAIT_SECONDS = 30;

    @TempDir
    Path tmp;

    @Test
    void subscriberGetsEveryEventOfItsBucketAndIsRefusedOthers() throws Exception {
        Path config = NodeFixture.init(tmp.resolve("n"), ClusterKeyFile.generate(new SecureRandom()), List.of(), "g1");
        try (NodeDaemon d = NodeFixture.start(config)) {
            // The authorizer restfs node installs, over a real token store.
            TokenStore tokens = TokenStore.open(d.context().config().dataDir());
            d.setSubscriberAuthorizer(new TokenSubscriberAuthorizer(tokens));
            URI uri = URI.create(d.runtime().apiUrl());
            RestfsClient reader = RestfsClient.connect(uri, tokens.create(Grant.on(Set.of("sub-a"), Set.of()), "r"));

            RestfsException forbidden = assertThrows(RestfsException.class, () -> reader.subscribe("sub-b", e -> { }));
            assertEquals(ErrorCode.FORBIDDEN, forbidden.code(), forbidden.toString());
            // The hub cannot tell an unknown token from one without the right: it says forbidden for both.
            ErrorCode unknown = assertThrows(RestfsException.class,
                    () -> RestfsClient.connect(uri, "A".repeat(43)).subscribe("sub-a", e -> { })).code();
            assertTrue(unknown == ErrorCode.FORBIDDEN || unknown == ErrorCode.UNAUTHORIZED, unknown.toString());

            BlockingQueue<BucketEvent> events = new LinkedBlockingQueue<>();
            BucketSubscription sub = reader.subscribe("sub-a", events::add);
            try (sub) {
                assertEquals("bucket.sub-a", sub.topic());
                // What the storage service publishes for a put, a segment put and a delete (StorageServiceTest).
                Publisher publisher = d.context().publisher()::publish;
                publisher.publish(BucketEvent.topic("sub-b"), new BucketEvent(BucketEvent.CREATED, "/hidden", 1));
                publisher.publish(BucketEvent.topic("sub-a"), new BucketEvent(BucketEvent.CREATED, "/x", 1));
                publisher.publish(BucketEvent.topic("sub-a"), new BucketEvent(BucketEvent.CHANGED, "/x", 2));
                publisher.publish(BucketEvent.topic("sub-a"), new BucketEvent(BucketEvent.DELETED, "/x", 3));
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    BucketEvent e = events.poll(EVENT_WAIT_SECONDS, TimeUnit.SECONDS);
                    seen.add(e == null ? "nothing" : e.type() + " " + e.path() + " " + e.version());
                }
                assertEquals(List.of("created /x 1", "changed /x 2", "deleted /x 3"), seen);
            }
            assertTrue(sub.closed().isDone());
        }
    }

}
