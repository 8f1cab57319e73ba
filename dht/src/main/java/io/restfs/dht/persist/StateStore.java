package io.restfs.dht.persist;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;

import java.util.List;

/**
 * Where a DHT node keeps its routing table and held items across restarts: Xodus in production, memory in
 * tests and the simulator. Called on the node's logic thread.
 */
public interface StateStore extends AutoCloseable {
    /** Replaces the saved routing table with {@code contacts}. */
    void saveContacts(List<SavedContact> contacts);

    List<SavedContact> loadContacts();

    /** Saves (or replaces) the item with this target. */
    void saveItem(SavedItem item);

    void deleteItem(NodeId target);

    /** Every saved item, in target order. */
    List<SavedItem> loadItems();

    /** Saves (or replaces) an item this node publishes and keeps republishing. */
    void savePublished(Item item);

    void deletePublished(NodeId target);

    /** Every item this node publishes, in target order. */
    List<Item> loadPublished();

    @Override
    void close();
}
