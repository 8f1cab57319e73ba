package io.restfs.node.meta;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import io.restfs.api.DirEntry;
import io.restfs.api.ObjectType;

/**
 * The entries of one directory, sorted by name (UTF-16 order, as {@link String#compareTo}). Immutable and
 * stored like data; a change writes a new listing and moves the directory's pointer to it with compare-and-swap.
 *
 * <p>Layout: "RFSD", format 1, entry count, then per entry name (UTF), type, size, mtime, version.
 */
public record DirectoryListing(List<DirEntry> entries) {
    private static final int MAGIC = 0x52465344; // "RFSD"
    private static final int FORMAT = 1;
    /** Entries per directory: a million keeps a listing's encoding within the codec's 64 MiB segment. */
    public static final int MAX_ENTRIES = 1 << 20;

    public static final DirectoryListing EMPTY = new DirectoryListing(List.of());

    public DirectoryListing {
        TreeMap<String, DirEntry> sorted = new TreeMap<>();
        for (DirEntry e : entries) {
            sorted.put(e.name(), e);
        }
        entries = List.copyOf(sorted.values());
    }

    public Optional<DirEntry> get(String name) {
        int i = Collections.binarySearch(entries.stream().map(DirEntry::name).toList(), name);
        return i >= 0 ? Optional.of(entries.get(i)) : Optional.empty();
    }

    /** This listing with {@code entry} added or replaced. */
    public DirectoryListing with(DirEntry entry) {
        List<DirEntry> next = new ArrayList<>(entries);
        next.removeIf(e -> e.name().equals(entry.name()));
        next.add(entry);
        return new DirectoryListing(next);
    }

    public DirectoryListing without(String name) {
        List<DirEntry> next = new ArrayList<>(entries);
        next.removeIf(e -> e.name().equals(name));
        return new DirectoryListing(next);
    }

    public byte[] encode() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(16 + entries.size() * 48);
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(MAGIC);
            out.writeByte(FORMAT);
            out.writeInt(entries.size());
            for (DirEntry e : entries) {
                out.writeUTF(e.name());
                out.writeByte(e.type() == ObjectType.DIRECTORY ? 1 : 0);
                out.writeLong(e.size());
                out.writeLong(e.mtimeMillis());
                out.writeLong(e.version());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public static DirectoryListing decode(byte[] bytes) throws MalformedRecordException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC || in.readUnsignedByte() != FORMAT) {
                throw new MalformedRecordException("directory listing", "not a format " + FORMAT + " listing");
            }
            int count = in.readInt();
            if (count < 0 || count > MAX_ENTRIES) {
                throw new MalformedRecordException("directory listing", "entry count " + count);
            }
            List<DirEntry> entries = new ArrayList<>(Math.min(count, 4096));
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                ObjectType type = in.readUnsignedByte() == 1 ? ObjectType.DIRECTORY : ObjectType.FILE;
                entries.add(new DirEntry(name, type, in.readLong(), in.readLong(), in.readLong()));
            }
            if (in.available() != 0) {
                throw new MalformedRecordException("directory listing", in.available() + " trailing bytes");
            }
            return new DirectoryListing(entries);
        } catch (IOException e) {
            throw new MalformedRecordException("directory listing", e);
        }
    }
}
