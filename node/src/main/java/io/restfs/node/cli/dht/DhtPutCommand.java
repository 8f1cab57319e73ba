package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Bep44;
import io.restfs.dht.crypto.Ed25519KeyFile;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.items.Item;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.PutResult;
import io.restfs.dht.node.UdpDht;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs dht put}: stores a BEP 44 item (immutable, or mutable and signed) and prints its target. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Store a BEP 44 item on the k closest nodes and print its target.",
            "The value is stored as a bencoded string; --mutable signs it with the Ed25519 key in --key-file",
            "(created, mode 0600, if missing). Without --seq, a mutable put uses the stored item's seq + 1."})
final class DhtPutCommand extends DhtClientCommand {
    static final class Value {
        @Option(names = "--immutable", paramLabel = "VALUE", required = true,
                description = "Store VALUE under SHA-1 of its bencoded form.")
        String immutable;

        @Option(names = "--mutable", paramLabel = "VALUE", required = true,
                description = "Store VALUE signed, under SHA-1 of the public key and salt.")
        String mutable;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Value value;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true,
            description = "A node to start from (repeatable).")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--key-file", paramLabel = "FILE", description = "Ed25519 key of a mutable item (hex seed).")
    Path keyFile;

    @Option(names = "--salt", paramLabel = "S", description = "Salt of a mutable item (UTF-8, at most 64 bytes).")
    String salt;

    @Option(names = "--seq", paramLabel = "N", description = "Sequence number of a mutable item.")
    Long seq;

    @Override
    int execute(PrintWriter out) throws CliFailure, IOException, InterruptedException {
        boolean mutable = value.mutable != null;
        if (!mutable && (keyFile != null || salt != null || seq != null)) {
            throw CliFailure.badInput("--key-file, --salt and --seq apply to --mutable items only");
        }
        if (mutable && keyFile == null) {
            throw CliFailure.badInput("--mutable needs --key-file FILE (created if missing)");
        }
        byte[] encoded = ItemValues.encode(mutable ? value.mutable : value.immutable);
        byte[] saltBytes = salt == null ? new byte[0] : salt.getBytes(StandardCharsets.UTF_8);
        if (saltBytes.length > Bep44.MAX_SALT_BYTES) {
            throw CliFailure.badInput("salt is " + saltBytes.length + " bytes; BEP 44 allows at most "
                    + Bep44.MAX_SALT_BYTES);
        }
        if (seq != null && seq < 0) {
            throw CliFailure.badInput("--seq must not be negative");
        }
        var contacts = Inputs.hostPorts(bootstrap);
        Ed25519KeyPair owner = mutable ? Ed25519KeyFile.loadOrCreate(keyFile, new SecureRandom()) : null;
        try (UdpDht client = openClient()) {
            DhtNode node = client.node();
            join(node, contacts);
            PutResult result;
            long usedSeq = -1;
            if (mutable) {
                usedSeq = seq != null ? seq : nextSeq(node, owner, saltBytes);
                result = await(node.putMutable(owner, saltBytes, usedSeq, encoded, OptionalLong.empty()), "put");
            } else {
                result = await(node.putImmutable(encoded), "put");
            }
            int asked = result.storedOn().size() + result.refusals().size();
            if (result.storedOn().isEmpty()) {
                throw CliFailure.failed("no node stored " + result.target().toHex() + " (" + asked + " asked"
                        + (result.refusals().isEmpty() ? "" : "; first refusal: " + describe(result.refusals().get(0)))
                        + ")");
            }
            if (json) {
                ObjectNode o = jsonObject();
                o.put("target", result.target().toHex());
                o.put("kind", mutable ? "mutable" : "immutable");
                o.put("stored_on", result.storedOn().size());
                o.put("asked", asked);
                if (mutable) {
                    o.put("public_key", HexFormat.of().formatHex(owner.publicKey()));
                    o.put("seq", usedSeq);
                    if (salt != null) {
                        o.put("salt", salt);
                    }
                }
                ArrayNode refusals = o.putArray("refusals");
                for (PutResult.Refusal r : result.refusals()) {
                    refusals.addObject().put("id", r.node().id().toHex()).put("code", r.code())
                            .put("message", r.message());
                }
                printJson(out, o);
            } else {
                out.println(result.target().toHex());
                out.printf("stored on %d of %d nodes%s%n", result.storedOn().size(), asked,
                        result.refusals().isEmpty() ? "" : "; refused by " + result.refusals().size() + " (first: "
                                + describe(result.refusals().get(0)) + ")");
                if (mutable) {
                    out.printf("mutable: public key %s, seq %d%s%n", HexFormat.of().formatHex(owner.publicKey()),
                            usedSeq, salt == null ? "" : ", salt \"" + salt + "\"");
                }
            }
            return 0;
        }
    }

    /** BEP 44: a new version must carry a higher seq than the stored one, so read it first. */
    private long nextSeq(DhtNode node, Ed25519KeyPair owner, byte[] saltBytes) throws CliFailure, InterruptedException {
        Optional<Item> current = await(node.getMutable(owner.publicKey(), saltBytes), "reading the current seq");
        return current.filter(Item.Mutable.class::isInstance).map(i -> ((Item.Mutable) i).seq() + 1).orElse(1L);
    }

    private static String describe(PutResult.Refusal r) {
        return r.code() < 0 ? r.node().address() + " timed out"
                : r.node().address() + " error " + r.code() + " " + r.message();
    }
}
