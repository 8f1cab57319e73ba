package io.restfs.dht.bencode;

/** One bencoded value (BEP 3): a byte string, an integer, a list or a dictionary. */
public sealed interface BencodeValue permits BString, BInteger, BList, BDict {
    /** The canonical encoding of this value. */
    default byte[] encode() {
        return BencodeWriter.encode(this);
    }
}
