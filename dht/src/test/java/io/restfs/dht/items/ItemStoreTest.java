package io.restfs.dht.items;

import io.restfs.dht.env.VirtualTime;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemStoreTest {
    private final VirtualTime time = new VirtualTime();
    private static final byte[] KEY = new byte[32];
    private static final byte[] SIG = new byte[64];

    private static InetAddress ip(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Item.Mutable mutable(long seq, String v) {
        return new Item.Mutable(KEY, new byte[0], seq, ("" + v.length() + ":" + v).getBytes(StandardCharsets.US_ASCII), SIG);
    }

    @Test
    void refusesSequenceNumberLowerThanStoredWith302() {
        ItemStore store = new ItemStore(time, 100, 10);
        assertEquals(new PutOutcome.Accepted(false), store.put(mutable(5, "five"), ip(1), OptionalLong.empty()));
        PutOutcome o = store.put(mutable(4, "four"), ip(1), OptionalLong.empty());
        assertEquals(ItemStore.ERROR_SEQ_TOO_LOW, assertInstanceOf(PutOutcome.Refused.class, o).code());
        assertEquals(5, ((Item.Mutable) store.get(mutable(5, "x").target()).orElseThrow()).seq());
    }

    @Test
    void refusesCompareAndSwapAgainstAnotherSeqWith301() {
        ItemStore store = new ItemStore(time, 100, 10);
        store.put(mutable(5, "five"), ip(1), OptionalLong.empty());
        PutOutcome o = store.put(mutable(6, "six"), ip(1), OptionalLong.of(4));
        assertEquals(ItemStore.ERROR_CAS_MISMATCH, assertInstanceOf(PutOutcome.Refused.class, o).code());
        assertEquals(new PutOutcome.Accepted(false), store.put(mutable(6, "six"), ip(1), OptionalLong.of(5)));
    }

    @Test
    void sameSeqWithOtherValueIsRefusedButSameItemRenewsIt() {
        ItemStore store = new ItemStore(time, 100, 10);
        store.put(mutable(5, "five"), ip(1), OptionalLong.empty());
        assertInstanceOf(PutOutcome.Refused.class, store.put(mutable(5, "FIVE"), ip(1), OptionalLong.empty()));
        time.advance(ItemStore.EXPIRE_MILLIS - 1);
        assertEquals(new PutOutcome.Accepted(true), store.put(mutable(5, "five"), ip(2), OptionalLong.empty()));
        time.advance(ItemStore.EXPIRE_MILLIS - 1);
        assertTrue(store.get(mutable(5, "five").target()).isPresent(), "the renewal restarted its lifetime");
    }

    @Test
    void itemsExpireTwoHoursAfterTheirLastPut() {
        ItemStore store = new ItemStore(time, 100, 10);
        Item.Immutable item = new Item.Immutable("5:hello".getBytes(StandardCharsets.US_ASCII));
        store.put(item, ip(1), OptionalLong.empty());
        time.advance(ItemStore.EXPIRE_MILLIS - 1);
        assertTrue(store.expire().isEmpty());
        time.advance(1);
        assertEquals(java.util.List.of(item.target()), store.expire());
        assertTrue(store.get(item.target()).isEmpty());
        assertEquals(0, store.size());
    }

    @Test
    void oneSourceCannotFillTheStoreBeyondItsQuota() {
        ItemStore store = new ItemStore(time, 5, 2);
        for (int i = 0; i < 2; i++) {
            assertInstanceOf(PutOutcome.Accepted.class, store.put(new Item.Immutable(("i" + i + "e").getBytes()), ip(1), OptionalLong.empty()));
        }
        PutOutcome third = store.put(new Item.Immutable("i9e".getBytes()), ip(1), OptionalLong.empty());
        assertEquals(ItemStore.ERROR_QUOTA, assertInstanceOf(PutOutcome.Refused.class, third).code());
        for (int i = 2; i < 5; i++) {
            assertInstanceOf(PutOutcome.Accepted.class, store.put(new Item.Immutable(("i" + i + "e").getBytes()), ip(i), OptionalLong.empty()));
        }
        PutOutcome full = store.put(new Item.Immutable("i7e".getBytes()), ip(7), OptionalLong.empty());
        assertEquals(ItemStore.ERROR_QUOTA, assertInstanceOf(PutOutcome.Refused.class, full).code(), "total quota");
    }

    @Test
    void aTrustedSourcePassesItsQuotaButNotTheStoreBound() {
        ItemStore store = new ItemStore(time, 6, 2);
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(PutOutcome.Accepted.class, store.put(new Item.Immutable(("i" + i + "e").getBytes()),
                    ip(1), OptionalLong.empty(), true));
        }
        PutOutcome untrusted = store.put(new Item.Immutable("i8e".getBytes()), ip(1), OptionalLong.empty());
        assertEquals(ItemStore.ERROR_QUOTA, assertInstanceOf(PutOutcome.Refused.class, untrusted).code(),
                "the trusted items still count against their address when it is not trusted");
        assertInstanceOf(PutOutcome.Accepted.class, store.put(new Item.Immutable("i5e".getBytes()), ip(2),
                OptionalLong.empty()));
        assertInstanceOf(PutOutcome.Accepted.class, store.put(new Item.Immutable("i6e".getBytes()), ip(1),
                OptionalLong.empty(), true));
        PutOutcome full = store.put(new Item.Immutable("i9e".getBytes()), ip(1), OptionalLong.empty(), true);
        assertEquals(ItemStore.ERROR_QUOTA, assertInstanceOf(PutOutcome.Refused.class, full).code(), "total bound");
    }

    @Test
    void refusesValueOverOneThousandBytes() {
        ItemStore store = new ItemStore(time, 5, 2);
        byte[] big = new byte[1001];
        PutOutcome o = store.put(new Item.Immutable(big), ip(1), OptionalLong.empty());
        assertEquals(ItemStore.ERROR_VALUE_TOO_BIG, assertInstanceOf(PutOutcome.Refused.class, o).code());
    }
}
