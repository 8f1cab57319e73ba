package io.restfs.dht.krpc;

import java.util.HexFormat;

/** Hex for toString of byte fields. */
final class Hex {
    private Hex() {
    }

    static String of(byte[] bytes) {
        return bytes == null ? "-" : HexFormat.of().formatHex(bytes);
    }
}
