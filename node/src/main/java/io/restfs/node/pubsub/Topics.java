package io.restfs.node.pubsub;

import java.util.regex.Pattern;

/** The topics of the pub/sub service and which are valid. */
public final class Topics {
    /** Membership events (joined, left, dead); only nodes holding the cluster key may subscribe. */
    public static final String CLUSTER_MEMBERS = "cluster.members";
    /**
     * A bucket's object events ({@link io.restfs.api.BucketEvent#topic}), with bucket names as the API allows them
     * (letters, digits, dot, dash, underscore; up to 63 as in S3).
     */
    private static final Pattern BUCKET_TOPIC = Pattern.compile("bucket\\.[A-Za-z0-9._-]{1,63}");

    private Topics() {
    }

    /** Whether {@code topic} is a valid bucket topic. */
    static boolean isBucket(String topic) {
        return BUCKET_TOPIC.matcher(topic).matches();
    }

    static boolean isValid(String topic) {
        return CLUSTER_MEMBERS.equals(topic) || isBucket(topic);
    }
}
