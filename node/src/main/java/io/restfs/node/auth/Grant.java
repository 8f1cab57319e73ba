package io.restfs.node.auth;

import io.restfs.api.Limits;

import java.util.Set;
import java.util.TreeSet;

/**
 * The rights one token carries: admin over everything, or read and write on named buckets ({@link #ALL_BUCKETS}
 * for every bucket). Write on a bucket includes read on it.
 */
public record Grant(boolean admin, Set<String> read, Set<String> write) {
    /** Stands for every bucket, present and future, in {@link #read} or {@link #write}. */
    public static final String ALL_BUCKETS = "*";

    public Grant {
        read = Set.copyOf(new TreeSet<>(read));
        write = Set.copyOf(new TreeSet<>(write));
        for (String b : read) {
            checkBucket(b);
        }
        for (String b : write) {
            checkBucket(b);
        }
    }

    public static Grant adminGrant() {
        return new Grant(true, Set.of(), Set.of());
    }

    public static Grant on(Set<String> read, Set<String> write) {
        return new Grant(false, read, write);
    }

    /** Whether this grant carries {@code right} on {@code bucket} ({@link Right#ADMIN} ignores the bucket). */
    public boolean allows(Right right, String bucket) {
        if (admin) {
            return true;
        }
        return switch (right) {
            case ADMIN -> false;
            case WRITE -> names(write, bucket);
            case READ -> names(read, bucket) || names(write, bucket);
        };
    }

    private static boolean names(Set<String> buckets, String bucket) {
        return buckets.contains(ALL_BUCKETS) || buckets.contains(bucket);
    }

    private static void checkBucket(String b) {
        if (!b.equals(ALL_BUCKETS) && !b.matches(Limits.BUCKET_NAME_PATTERN)) {
            throw new IllegalArgumentException("not a bucket name: '" + b + "' (lowercase letters, digits and '-',"
                    + " 3 to 63 characters, or '*' for every bucket)");
        }
    }

    /** One line for people: "admin" or "read a,b; write c". */
    public String describe() {
        if (admin) {
            return "admin";
        }
        return "read " + (read.isEmpty() ? "-" : String.join(",", new TreeSet<>(read)))
                + "; write " + (write.isEmpty() ? "-" : String.join(",", new TreeSet<>(write)));
    }
}
