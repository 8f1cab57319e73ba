package io.restfs.dht.persist;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.routing.PeerKind;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The routing table and held items in a Xodus environment under the node's state directory. Three stores:
 * {@code contacts} (node id -> address and kind), {@code items} (target -> item, source and wall-clock
 * time of the last put) and {@code published} (target -> item this node republishes). Each record starts with a format version byte. Writes are not fsynced one by one:
 * DHT state is a cache that the network can rebuild, so losing the last second of it on a crash is fine.
 */
public final class XodusStateStore implements StateStore {
    private static final String CONTACTS = "contacts";
    private static final String ITEMS = "items";
    private static final String PUBLISHED = "published";
    private static final int FORMAT = 1;
    private static final int IMMUTABLE = 0;
    private static final int MUTABLE = 1;

    private final Environment env;
    private final LongSupplier wallClock;

    private XodusStateStore(Environment env, LongSupplier wallClock) {
        this.env = env;
        this.wallClock = wallClock;
    }

    /** Opens (creating if needed) the store in {@code dir}; the wall clock turns item ages into timestamps. */
    public static XodusStateStore open(Path dir, LongSupplier wallClock) {
        EnvironmentConfig config = new EnvironmentConfig().setLogDurableWrite(false);
        return new XodusStateStore(Environments.newInstance(dir.toFile(), config), wallClock);
    }

    /** Opens the store in {@code dir} with the system's wall clock. */
    public static XodusStateStore open(Path dir) {
        return open(dir, System::currentTimeMillis);
    }

    @Override
    public void saveContacts(List<SavedContact> contacts) {
        env.executeInTransaction(txn -> {
            if (env.storeExists(CONTACTS, txn)) {
                env.truncateStore(CONTACTS, txn);
            }
            Store store = env.openStore(CONTACTS, StoreConfig.WITHOUT_DUPLICATES, txn);
            for (SavedContact c : contacts) {
                store.put(txn, new ArrayByteIterable(c.id().toBytes()), new ArrayByteIterable(encodeContact(c)));
            }
        });
    }

    @Override
    public List<SavedContact> loadContacts() {
        return env.computeInReadonlyTransaction(txn -> {
            List<SavedContact> out = new ArrayList<>();
            if (!env.storeExists(CONTACTS, txn)) {
                return out;
            }
            Store store = env.openStore(CONTACTS, StoreConfig.WITHOUT_DUPLICATES, txn);
            try (Cursor c = store.openCursor(txn)) {
                while (c.getNext()) {
                    out.add(decodeContact(NodeId.of(bytes(c.getKey())), bytes(c.getValue())));
                }
            }
            return out;
        });
    }

    @Override
    public void saveItem(SavedItem item) {
        byte[] value = encodeItem(item);
        env.executeInTransaction(txn -> items(txn).put(txn,
                new ArrayByteIterable(item.item().target().toBytes()), new ArrayByteIterable(value)));
    }

    @Override
    public void deleteItem(NodeId target) {
        env.executeInTransaction(txn -> items(txn).delete(txn, new ArrayByteIterable(target.toBytes())));
    }

    @Override
    public List<SavedItem> loadItems() {
        return env.computeInReadonlyTransaction(txn -> {
            List<SavedItem> out = new ArrayList<>();
            if (!env.storeExists(ITEMS, txn)) {
                return out;
            }
            Store store = env.openStore(ITEMS, StoreConfig.WITHOUT_DUPLICATES, txn);
            try (Cursor c = store.openCursor(txn)) {
                while (c.getNext()) {
                    out.add(decodeItem(bytes(c.getValue())));
                }
            }
            return out;
        });
    }

    private Store items(Transaction txn) {
        return env.openStore(ITEMS, StoreConfig.WITHOUT_DUPLICATES, txn);
    }

    @Override
    public void close() {
        env.close();
    }

    private static byte[] bytes(ByteIterable b) {
        return Arrays.copyOf(b.getBytesUnsafe(), b.getLength());
    }

    private static byte[] encodeContact(SavedContact c) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeByte(FORMAT);
            writeBytes(out, c.address().getAddress().getAddress());
            out.writeShort(c.address().getPort());
            out.writeByte(c.kind().ordinal());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static SavedContact decodeContact(NodeId id, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            checkFormat(in.readUnsignedByte(), "contact " + id);
            InetAddress address = InetAddress.getByAddress(readBytes(in, 16));
            int port = in.readUnsignedShort();
            int kind = in.readUnsignedByte();
            if (kind >= PeerKind.values().length) {
                throw new IOException("unknown peer kind " + kind);
            }
            return new SavedContact(id, new InetSocketAddress(address, port), PeerKind.values()[kind]);
        } catch (IOException e) {
            throw new StateFormatException("cannot read saved contact " + id + ": " + e.getMessage(), e);
        }
    }

    private byte[] encodeItem(SavedItem s) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeByte(FORMAT);
            out.writeLong(wallClock.getAsLong() - s.ageMillis());
            writeBytes(out, s.source().getAddress());
            writeItem(out, s.item());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private SavedItem decodeItem(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            checkFormat(in.readUnsignedByte(), "item");
            long storedWall = in.readLong();
            InetAddress source = InetAddress.getByAddress(readBytes(in, 16));
            Item item = readItem(in);
            long age = Math.max(0, wallClock.getAsLong() - storedWall);
            return new SavedItem(item, age, source);
        } catch (IOException e) {
            throw new StateFormatException("cannot read saved item: " + e.getMessage(), e);
        }
    }

    private static void writeItem(DataOutputStream out, Item item) throws IOException {
        if (item instanceof Item.Mutable m) {
            out.writeByte(MUTABLE);
            writeBytes(out, m.publicKey());
            writeBytes(out, m.salt());
            out.writeLong(m.seq());
            writeBytes(out, m.value());
            writeBytes(out, m.signature());
        } else {
            out.writeByte(IMMUTABLE);
            writeBytes(out, item.value());
        }
    }

    private static Item readItem(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        return switch (type) {
            case IMMUTABLE -> new Item.Immutable(readBytes(in, Item.MAX_VALUE_BYTES));
            case MUTABLE -> new Item.Mutable(readBytes(in, 32), readBytes(in, Item.MAX_SALT_BYTES), in.readLong(),
                    readBytes(in, Item.MAX_VALUE_BYTES), readBytes(in, 64));
            default -> throw new IOException("unknown item type " + type);
        };
    }

    @Override
    public void savePublished(Item item) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeByte(FORMAT);
            writeItem(out, item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] value = bos.toByteArray();
        env.executeInTransaction(txn -> env.openStore(PUBLISHED, StoreConfig.WITHOUT_DUPLICATES, txn).put(txn,
                new ArrayByteIterable(item.target().toBytes()), new ArrayByteIterable(value)));
    }

    @Override
    public void deletePublished(NodeId target) {
        env.executeInTransaction(txn -> env.openStore(PUBLISHED, StoreConfig.WITHOUT_DUPLICATES, txn)
                .delete(txn, new ArrayByteIterable(target.toBytes())));
    }

    @Override
    public List<Item> loadPublished() {
        return env.computeInReadonlyTransaction(txn -> {
            List<Item> out = new ArrayList<>();
            if (!env.storeExists(PUBLISHED, txn)) {
                return out;
            }
            Store store = env.openStore(PUBLISHED, StoreConfig.WITHOUT_DUPLICATES, txn);
            try (Cursor c = store.openCursor(txn)) {
                while (c.getNext()) {
                    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes(c.getValue())))) {
                        checkFormat(in.readUnsignedByte(), "published item");
                        out.add(readItem(in));
                    } catch (IOException e) {
                        throw new StateFormatException("cannot read published item: " + e.getMessage(), e);
                    }
                }
            }
            return out;
        });
    }

    private static void checkFormat(int format, String what) throws IOException {
        if (format != FORMAT) {
            throw new IOException(what + " has format " + format + ", expected " + FORMAT);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeShort(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in, int max) throws IOException {
        int n = in.readUnsignedShort();
        if (n > max) {
            throw new IOException("field of " + n + " bytes exceeds " + max);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
