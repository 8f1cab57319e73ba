package io.restfs.dht.bencode;

import java.util.List;

/** A bencode list. */
public record BList(List<BencodeValue> items) implements BencodeValue {
    public BList {
        items = List.copyOf(items);
    }

    public static BList of(BencodeValue... items) {
        return new BList(List.of(items));
    }

    public int size() {
        return items.size();
    }

    public BencodeValue get(int i) {
        return items.get(i);
    }
}
