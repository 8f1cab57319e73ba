package io.restfs.dht.bencode;

/** A bencode integer; restfs (like every Mainline implementation) bounds them to 64 bits. */
public record BInteger(long value) implements BencodeValue {
}
