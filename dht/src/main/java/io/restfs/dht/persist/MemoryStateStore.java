package io.restfs.dht.persist;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A state store in memory: survives a node's restart within one process (tests, the simulator). */
public final class MemoryStateStore implements StateStore {
    private List<SavedContact> contacts = List.of();
    private final TreeMap<NodeId, SavedItem> items = new TreeMap<>();
    private final TreeMap<NodeId, Item> published = new TreeMap<>();

    @Override
    public synchronized void saveContacts(List<SavedContact> contacts) {
        this.contacts = List.copyOf(contacts);
    }

    @Override
    public synchronized List<SavedContact> loadContacts() {
        return contacts;
    }

    @Override
    public synchronized void saveItem(SavedItem item) {
        items.put(item.item().target(), item);
    }

    @Override
    public synchronized void deleteItem(NodeId target) {
        items.remove(target);
    }

    @Override
    public synchronized List<SavedItem> loadItems() {
        return new ArrayList<>(items.values());
    }

    @Override
    public synchronized void savePublished(Item item) {
        published.put(item.target(), item);
    }

    @Override
    public synchronized void deletePublished(NodeId target) {
        published.remove(target);
    }

    @Override
    public synchronized List<Item> loadPublished() {
        return new ArrayList<>(published.values());
    }

    @Override
    public void close() {
        // nothing to release
    }
}
