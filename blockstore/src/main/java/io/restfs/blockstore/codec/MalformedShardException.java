package io.restfs.blockstore.codec;

/** A shard whose header or payload fails a check (magic, version, a size limit, the CRC or the hash). */
public final class MalformedShardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedShardException(String reason) {
        super(reason);
    }
}
