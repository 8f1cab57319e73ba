package io.restfs.blockstore.codec;

import java.util.HexFormat;

/**
 * One encoded shard: {@code bytes} is the whole thing to store or send (a {@link ShardHeader} followed
 * by the payload), {@code payloadHash} the SHA-256 of the payload, as the manifest lists it.
 */
public record Shard(int index, byte[] bytes, byte[] payloadHash) {
    public int payloadLength() {
        return bytes.length - ShardHeader.SIZE;
    }

    @Override
    public String toString() {
        return "Shard[index=" + index + ", " + bytes.length + " bytes, payloadSha256="
                + HexFormat.of().formatHex(payloadHash) + "]";
    }
}
