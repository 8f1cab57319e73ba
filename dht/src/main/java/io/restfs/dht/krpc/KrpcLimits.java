package io.restfs.dht.krpc;

import io.restfs.dht.crypto.Bep44;

/** Bounds on KRPC fields, checked when decoding and when building messages. */
public final class KrpcLimits {
    /**
     * BEP 5 says transaction ids are short ("typically 2 characters"); Mainline clients use 2 to 8 bytes. 16 leaves
     * room without letting a peer make us echo long strings.
     */
    public static final int MAX_TRANSACTION_ID_BYTES = 16;
    /**
     * BEP 5: a token is "a short binary string"; libtorrent uses 4 bytes, jech/dht 8, bittorrent-dht 20 (SHA-1).
     * 64 bytes accepts all of them.
     */
    public static final int MAX_TOKEN_BYTES = 64;
    /** BEP 44: the bencoded {@code v} may be refused above 1000 bytes (answered with error 205). */
    public static final int MAX_VALUE_BYTES = Bep44.MAX_VALUE_BYTES;
    /** BEP 44: a salt longer than 64 bytes is refused (answered with error 207). */
    public static final int MAX_SALT_BYTES = Bep44.MAX_SALT_BYTES;
    /** Method names are short ASCII words; a longer one is noise, not a method. */
    public static final int MAX_METHOD_BYTES = 64;
    /**
     * Most compact node infos in one {@code nodes}/{@code nodes6} field: BEP 5 returns K (8), restfs up to its
     * configured k (20 by default); 64 covers both with margin and still fits a 1500-byte datagram for IPv4.
     */
    public static final int MAX_NODES = 64;
    /** Most peers in a get_peers {@code values} list: 1500 bytes hold at most 187 "6:"-prefixed compact peers. */
    public static final int MAX_VALUES = 200;
    /** A failure group is a short operator-chosen label ("rack-3", "dc-eu-1"). */
    public static final int MAX_FAILURE_GROUP_BYTES = 64;
    /** RFC 1035: a DNS name is at most 253 characters; an IP literal is shorter. */
    public static final int MAX_HOST_BYTES = 253;

    private KrpcLimits() {
    }
}
