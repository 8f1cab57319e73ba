package io.restfs.dht.persist;

import io.restfs.dht.items.Item;

import java.net.InetAddress;

/**
 * A stored item as saved across restarts. Its age, not a clock reading, crosses the restart: the node's clock
 * is monotonic and starts again from an arbitrary origin, so the store converts age to and from wall time.
 *
 * @param ageMillis how long ago it was last put
 * @param source    the address that put it (charged to its quota)
 */
public record SavedItem(Item item, long ageMillis, InetAddress source) {
}
