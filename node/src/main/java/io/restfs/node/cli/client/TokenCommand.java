package io.restfs.node.cli.client;

import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code restfs token create|ls|revoke --dir NODE_DIR}: the node's API tokens, edited in its directory (the running
 * node picks up changes on its next request). Only the token's hash is stored; {@code create} prints the token once.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Make, list and revoke a node's API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.Ls.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The shared options and error handling of the token subcommands. */
    abstract static class Local implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "NODE_DIR", description = "The node's directory.")
        Path dir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                if (!Files.isDirectory(dir)) {
                    err.println(spec.qualifiedName() + ": no node directory at " + dir + " (restfs init --dir makes one)");
                    return ClientCommand.USAGE;
                }
                return run(TokenStore.open(dir), spec.commandLine().getOut());
            } catch (IllegalArgumentException e) {
                err.println(spec.qualifiedName() + ": " + e.getMessage());
                return ClientCommand.USAGE;
            } catch (IOException | RuntimeException e) {
                err.println(spec.qualifiedName() + ": " + ClientCommand.oneLine(e.getMessage()));
                return ClientCommand.FAILED;
            } finally {
                spec.commandLine().getOut().flush();
                err.flush();
            }
        }

        abstract int run(TokenStore store, PrintWriter out) throws IOException;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a token and print it (it is "
            + "not stored and cannot be shown again).")
    static final class Create extends Local {
        @Option(names = "--admin", description = "Every right on every bucket, and bucket create/delete.")
        boolean admin;

        @Option(names = "--read", paramLabel = "BUCKET", split = ",",
                description = "Read rights on BUCKET ('*': every bucket); repeatable.")
        List<String> read = List.of();

        @Option(names = "--write", paramLabel = "BUCKET", split = ",",
                description = "Write (and read) rights on BUCKET ('*': every bucket); repeatable.")
        List<String> write = List.of();

        @Option(names = "--label", paramLabel = "TEXT", description = "A note for people: who or what it is for.")
        String label;

        @Option(names = "--json", description = "Print {token, id, grant} as JSON.")
        boolean json;

        @Override
        int run(TokenStore store, PrintWriter out) throws IOException {
            if (admin && !(read.isEmpty() && write.isEmpty())) {
                throw new IllegalArgumentException("--admin already grants everything; leave out --read/--write");
            }
            if (!admin && read.isEmpty() && write.isEmpty()) {
                throw new IllegalArgumentException("say what the token may do: --admin, or --read/--write BUCKET");
            }
            Grant g = admin ? Grant.adminGrant() : Grant.on(Set.copyOf(read), Set.copyOf(write));
            String token = store.create(g, label);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("token", token);
                m.put("grant", g.describe());
                out.println(ClientCommand.json(m).replace("\n", "").replaceAll(" {2,}", " "));
            } else {
                out.println(token);
                spec.commandLine().getErr().println("token for " + g.describe() + "; stored as its SHA-256 in "
                        + store.file());
            }
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the node's tokens (ids and rights, "
            + "never the tokens).")
    static final class Ls extends Local {
        @Override
        int run(TokenStore store, PrintWriter out) {
            out.printf(Locale.ROOT, "%-12s  %-20s  %-40s  %s%n", "ID", "CREATED", "RIGHTS", "LABEL");
            for (TokenStore.Entry e : store.entries()) {
                out.printf(Locale.ROOT, "%-12s  %-20s  %-40s  %s%n", e.id(), ClientCommand.time(e.createdMillis()),
                        e.grant().describe(), e.label() == null ? "" : e.label());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove a token by its id (from ls).")
    static final class Revoke extends Local {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(TokenStore store, PrintWriter out) throws IOException {
            int n = store.revoke(id);
            if (n == 0) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": no token with id " + id);
                return ClientCommand.FAILED;
            }
            out.println("revoked " + n + " token" + (n == 1 ? "" : "s"));
            return 0;
        }
    }
}
