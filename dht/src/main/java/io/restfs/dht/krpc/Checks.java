package io.restfs.dht.krpc;

/** Argument checks shared by the message records; they throw IllegalArgumentException naming the field. */
final class Checks {
    private Checks() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static byte[] exactly(byte[] value, int length, String field) {
        present(value, field);
        if (value.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes, got " + value.length);
        }
        return value;
    }

    static byte[] atMost(byte[] value, int max, String field) {
        present(value, field);
        if (value.length > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " bytes, got " + value.length);
        }
        return value;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative: " + value);
        }
        return value;
    }

    static int port(int port, String field) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException(field + " must be a port number 0-65535: " + port);
        }
        return port;
    }
}
