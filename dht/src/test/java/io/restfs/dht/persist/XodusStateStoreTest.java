package io.restfs.dht.persist;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.routing.PeerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class XodusStateStoreTest {
    @Test
    void contactsAndItemsSurviveReopeningWithTheirAgeCarriedOver(@TempDir Path dir) throws Exception {
        AtomicLong wall = new AtomicLong(1_000_000);
        NodeId id = NodeId.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
        SavedContact contact = new SavedContact(id, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6881),
                PeerKind.ROUTING_ONLY);
        Item.Mutable mutable = new Item.Mutable(new byte[32], "salt".getBytes(), 7, "3:abc".getBytes(), new byte[64]);
        Item.Immutable immutable = new Item.Immutable("i42e".getBytes());
        InetAddress source = InetAddress.getByName("10.1.2.3");
        try (XodusStateStore store = XodusStateStore.open(dir, wall::get)) {
            store.saveContacts(List.of(contact));
            store.saveItem(new SavedItem(mutable, 500, source));
            store.saveItem(new SavedItem(immutable, 0, source));
            store.saveItem(new SavedItem(new Item.Immutable("i43e".getBytes()), 0, source));
            store.deleteItem(new Item.Immutable("i43e".getBytes()).target());
            store.savePublished(mutable);
            store.savePublished(immutable);
            store.deletePublished(immutable.target());
        }
        wall.addAndGet(10_000);
        try (XodusStateStore store = XodusStateStore.open(dir, wall::get)) {
            assertEquals(List.of(contact), store.loadContacts());
            List<SavedItem> items = store.loadItems();
            assertEquals(2, items.size());
            SavedItem m = items.stream().filter(s -> s.item() instanceof Item.Mutable).findFirst().orElseThrow();
            assertEquals(mutable, m.item());
            assertEquals(10_500, m.ageMillis(), "downtime counts towards expiry");
            assertEquals(source, m.source());
            assertEquals(List.of(mutable), store.loadPublished());
            store.saveContacts(List.of());
            assertEquals(List.of(), store.loadContacts(), "saving replaces the whole table");
        }
    }
}
