package io.restfs.sim.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;
import io.restfs.sim.SimNode;
import io.restfs.sim.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * BEP 44 records under churn: {@code items} immutable items, each put by a random live node through the
 * engine's publish API (which stores it on the k closest nodes and republishes it every hour), and gets of
 * random items from random other nodes at a fixed total rate. A get succeeds when it returns the exact
 * value. An item lives as long as its owner: when the owner leaves, the item is retired (nobody republishes
 * it) and a new owner publishes a new item, so the count of items in play stays constant.
 */
final class RecordWorkload implements Workload {
    /** BEP 44: "v" must be at most 1000 bytes once bencoded; leave room for the length prefix. */
    static final int MAX_VALUE_BYTES = 990;
    /** Spread the first puts over this long so they do not all start in one millisecond. */
    private static final long INITIAL_SPREAD_MILLIS = 60_000;

    private final int items;
    private final double getsPerMilli;
    private final String getsText;
    private final int valueBytes;

    private World world;
    private RandomGenerator random;
    /** Items in play, by index; an index is reused when its item is replaced. */
    private Record[] records;
    /** Items in play per owner slot, for retiring them when the owner goes. */
    private final java.util.Map<Integer, List<Integer>> byOwner = new java.util.TreeMap<>();
    private double nextGetAt;
    private long published;
    private long retired;
    private long getsSkippedUnpublished;
    private long getsAbandoned;

    private record Record(NodeId target, byte[] value, int owner, boolean[] stored) {
    }

    RecordWorkload(int items, double getsPerMilli, String getsText, int valueBytes) {
        this.items = items;
        this.getsPerMilli = getsPerMilli;
        this.getsText = getsText;
        this.valueBytes = valueBytes;
    }

    @Override
    public String spec() {
        return "records:items=" + items + ",gets=" + getsText + ",size=" + valueBytes;
    }

    @Override
    public void start(World w) {
        this.world = w;
        this.random = w.random("workload.records");
        this.records = new Record[items];
        for (int i = 0; i < items; i++) {
            int index = i;
            w.queue().after(random.nextLong(INITIAL_SPREAD_MILLIS), () -> publish(index));
        }
        nextGetAt = w.now() + INITIAL_SPREAD_MILLIS;
        scheduleGet();
    }

    private void publish(int index) {
        if (world.membership().size() == 0) {
            return;
        }
        int owner = world.membership().randomLive(random);
        byte[] value = new byte[valueBytes];
        random.nextBytes(value);
        SimNode node = world.node(owner);
        boolean[] stored = {false};
        NodeId target = node.publishImmutable(value, ok -> {
            stored[0] |= ok;
            world.metrics().put(ok);
        });
        records[index] = new Record(target, value, owner, stored);
        byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(index);
        published++;
    }

    @Override
    public void onDeparture(int slot) {
        List<Integer> owned = byOwner.remove(slot);
        if (owned == null) {
            return;
        }
        for (int index : owned) {
            records[index] = null;
            retired++;
            publish(index);
        }
    }

    private void scheduleGet() {
        nextGetAt += -Math.log(1.0 - random.nextDouble()) / getsPerMilli;
        world.queue().at((long) Math.ceil(nextGetAt), this::get);
    }

    private void get() {
        scheduleGet();
        Record rec = records[random.nextInt(items)];
        if (rec == null || !rec.stored()[0]) {
            // not published yet (its first put is still under way): nothing to measure
            getsSkippedUnpublished++;
            return;
        }
        if (world.membership().size() < 2) {
            return;
        }
        int reader;
        do {
            reader = world.membership().randomLive(random);
        } while (reader == rec.owner());
        int r = reader;
        world.node(reader).getImmutable(rec.target()).whenComplete((value, error) -> {
            if (!world.membership().isLive(r)) {
                getsAbandoned++; // the reader left mid-get
                return;
            }
            world.metrics().get(error == null && value != null && value.isPresent()
                    && Arrays.equals(value.get(), rec.value()));
        });
    }

    @Override
    public void summarize(ObjectNode out) {
        ObjectNode o = out.putObject("records");
        o.put("items", items);
        o.put("gets_rate", getsText);
        o.put("value_bytes", valueBytes);
        o.put("published", published);
        o.put("retired_with_owner", retired);
        o.put("gets_skipped_before_first_put", getsSkippedUnpublished);
        o.put("gets_abandoned_by_departed_reader", getsAbandoned);
    }
}
