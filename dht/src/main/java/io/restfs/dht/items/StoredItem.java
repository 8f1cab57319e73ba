package io.restfs.dht.items;

import java.net.InetAddress;

/**
 * An item held for others, with when (clock millis) and from which address it was last put.
 */
public record StoredItem(Item item, long storedAtMillis, InetAddress source) {
}
