package io.restfs.dht.items;

/** What the store did with a put. */
public sealed interface PutOutcome {
    /** Stored (new or a newer version), or the same item's lifetime renewed. */
    record Accepted(boolean renewedOnly) implements PutOutcome { }

    /** Refused with a KRPC error code (BEP 44's 301/302 and friends) and a message for the requester. */
    record Refused(int code, String message) implements PutOutcome { }
}
