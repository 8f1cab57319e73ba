package io.restfs.dht.bencode;

/**
 * Bounds the decoder enforces before it allocates anything, so a hostile packet costs at most its own size.
 *
 * @param maxInputBytes  longest input accepted at all
 * @param maxDepth       deepest nesting of lists and dictionaries (the top-level container is depth 1)
 * @param maxElements    most values of any kind in one input, counting containers, keys and leaves
 * @param maxStringBytes longest single byte string
 * @param strict         when true, dictionary keys must be sorted by raw bytes (canonical form, BEP 3); duplicate
 *                       keys are refused in either mode because they make a message ambiguous
 */
public record BencodeLimits(int maxInputBytes, int maxDepth, int maxElements, int maxStringBytes, boolean strict) {
    /**
     * KRPC over UDP: Mainline peers keep datagrams under a typical 1500-byte Ethernet MTU (libtorrent and the npm
     * bittorrent-dht send well under it), so anything larger is not a DHT packet.
     */
    public static final int KRPC_MAX_PACKET_BYTES = 1500;
    /**
     * A KRPC message itself nests three containers deep (message, "a"/"r", then "values" or "restfs"); only a
     * BEP 44 "v" nests further. 16 leaves room for structured "v" values while bounding recursion.
     */
    public static final int KRPC_MAX_DEPTH = 16;
    /**
     * The smallest bencode values take 2 bytes ("0:", "le"), so 1500 bytes hold at most 750 values; 1024 is a
     * round bound above that which still caps the decoder's allocations.
     */
    public static final int KRPC_MAX_ELEMENTS = 1024;

    /** The limits for one KRPC datagram, strict canonical form. */
    public static final BencodeLimits KRPC = new BencodeLimits(
            KRPC_MAX_PACKET_BYTES, KRPC_MAX_DEPTH, KRPC_MAX_ELEMENTS, KRPC_MAX_PACKET_BYTES, true);

    public BencodeLimits {
        if (maxInputBytes < 1 || maxDepth < 1 || maxElements < 1 || maxStringBytes < 0) {
            throw new IllegalArgumentException("bencode limits must be positive: " + maxInputBytes + ", "
                    + maxDepth + ", " + maxElements + ", " + maxStringBytes);
        }
    }

    /** The same limits for inputs up to {@code bytes}; a single string may then fill the whole input. */
    public BencodeLimits withMaxInputBytes(int bytes) {
        return new BencodeLimits(bytes, maxDepth, maxElements, bytes, strict);
    }

    public BencodeLimits lenient() {
        return new BencodeLimits(maxInputBytes, maxDepth, maxElements, maxStringBytes, false);
    }
}
