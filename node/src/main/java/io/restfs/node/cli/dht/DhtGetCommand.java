package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Bep44;
import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.UdpDht;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code restfs dht get TARGET}: finds a BEP 44 item and prints its value (and seq for a mutable item). */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Find a BEP 44 item by its target and print its value (and seq for a mutable item).",
            "Immutable items are checked against their hash, mutable ones against their signature; a salted",
            "mutable item needs --salt and --public-key, as its signature covers the salt."})
final class DhtGetCommand extends DhtClientCommand {
    @Parameters(index = "0", paramLabel = "TARGET", description = "The item's target: 40 hex digits.")
    String target;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true,
            description = "A node to start from (repeatable).")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--salt", paramLabel = "S", description = "Salt of a mutable item (UTF-8).")
    String salt;

    @Option(names = "--public-key", paramLabel = "HEX", description = "Public key of a salted mutable item.")
    String publicKey;

    @Override
    int execute(PrintWriter out) throws CliFailure, IOException, InterruptedException {
        NodeId id = Inputs.nodeId(target, "BEP 44 target");
        byte[] key = null;
        byte[] saltBytes = new byte[0];
        if (salt != null || publicKey != null) {
            if (salt == null || publicKey == null) {
                throw CliFailure.badInput("a salted mutable item needs both --salt and --public-key");
            }
            key = Inputs.hexBytes(publicKey, Ed25519.PUBLIC_KEY_BYTES, "public key");
            saltBytes = salt.getBytes(StandardCharsets.UTF_8);
            NodeId expected = Bep44.mutableTarget(key, saltBytes);
            if (!expected.equals(id)) {
                throw CliFailure.badInput("TARGET " + id.toHex() + " is not SHA-1(public key + salt) = "
                        + expected.toHex());
            }
        }
        var contacts = Inputs.hostPorts(bootstrap);
        try (UdpDht client = openClient()) {
            DhtNode node = client.node();
            join(node, contacts);
            Optional<Item> found = await(key == null ? node.get(id) : node.getMutable(key, saltBytes), "get");
            if (found.isEmpty()) {
                throw CliFailure.failed("no item found under " + id.toHex()
                        + (key == null ? " (a salted mutable item needs --salt and --public-key)" : ""));
            }
            Item item = found.get();
            Optional<String> text = ItemValues.text(item.value());
            if (json) {
                ObjectNode o = jsonObject();
                o.put("target", id.toHex());
                o.put("kind", item instanceof Item.Mutable ? "mutable" : "immutable");
                text.ifPresent(t -> o.put("value", t));
                o.put("value_bencoded_hex", HexFormat.of().formatHex(item.value()));
                if (item instanceof Item.Mutable m) {
                    o.put("seq", m.seq());
                    o.put("public_key", HexFormat.of().formatHex(m.publicKey()));
                }
                printJson(out, o);
            } else {
                out.println(text.orElseGet(() -> "(bencoded, hex) " + HexFormat.of().formatHex(item.value())));
                if (item instanceof Item.Mutable m) {
                    out.printf("mutable: seq %d, public key %s%n", m.seq(), HexFormat.of().formatHex(m.publicKey()));
                }
            }
            return 0;
        }
    }
}
