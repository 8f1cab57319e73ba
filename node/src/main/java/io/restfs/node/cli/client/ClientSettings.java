package io.restfs.node.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which node a client command talks to and with which token: {@code --node}/{@code --token}, else the environment
 * ({@value #ENV_NODE}, {@value #ENV_TOKEN}), else a client config file (TOML with keys {@code url} and {@code token},
 * as {@code restfs cluster up} writes to {@code D/client.toml}): the one {@code --config} or {@value #ENV_CONFIG}
 * names, else {@code ./.restfs/client.toml}, else {@code ~/.restfs/client.toml}. Each value is taken from the first
 * place that has it.
 */
public record ClientSettings(URI node, String token, String source) {
    public static final String ENV_NODE = "RESTFS_NODE";
    public static final String ENV_TOKEN = "RESTFS_TOKEN";
    public static final String ENV_CONFIG = "RESTFS_CONFIG";
    public static final String CONFIG_FILE = "client.toml";
    static final String CONFIG_DIR = ".restfs";

    /** A setting missing everywhere, or a config file that cannot be read: the caller prints it as a usage error. */
    public static final class Missing extends Exception {
        Missing(String message) {
            super(message, null, false, false);
        }
    }

    public static ClientSettings resolve(String nodeOption, String tokenOption, Path configOption,
                                         Map<String, String> env, Path cwd, Path home) throws Missing {
        List<Path> files = new ArrayList<>();
        if (configOption != null) {
            if (!Files.isRegularFile(configOption)) {
                throw new Missing("no client config at " + configOption);
            }
            files.add(configOption);
        } else if (env.get(ENV_CONFIG) != null && !env.get(ENV_CONFIG).isBlank()) {
            Path p = Path.of(env.get(ENV_CONFIG));
            if (!Files.isRegularFile(p)) {
                throw new Missing("no client config at " + p + " (named by " + ENV_CONFIG + ")");
            }
            files.add(p);
        }
        files.add(cwd.resolve(CONFIG_DIR).resolve(CONFIG_FILE));
        if (home != null) {
            files.add(home.resolve(CONFIG_DIR).resolve(CONFIG_FILE));
        }
        String node = firstNonBlank(nodeOption, env.get(ENV_NODE));
        String token = firstNonBlank(tokenOption, env.get(ENV_TOKEN));
        String source = node != null && token != null ? "options/environment" : null;
        for (Path f : files) {
            if (node != null && token != null) {
                break;
            }
            Optional<JsonNode> cfg = read(f);
            if (cfg.isEmpty()) {
                continue;
            }
            if (node == null && cfg.get().path("url").isTextual()) {
                node = cfg.get().path("url").asText();
                source = f.toString();
            }
            if (token == null && cfg.get().path("token").isTextual()) {
                token = cfg.get().path("token").asText();
                source = f.toString();
            }
        }
        if (node == null) {
            throw new Missing("which node? give --node URL or set " + ENV_NODE + "; after restfs cluster up --dir D,"
                    + " give --config D/client.toml or set " + ENV_CONFIG + "=D/client.toml (or copy it to "
                    + "./.restfs/client.toml or ~/.restfs/client.toml)");
        }
        if (token == null) {
            throw new Missing("no API token: give --token T or set " + ENV_TOKEN + " (restfs token create --dir "
                    + "NODE_DIR makes one), or use the client.toml that restfs cluster up writes (--config FILE)");
        }
        URI uri;
        try {
            uri = URI.create(node.strip());
        } catch (IllegalArgumentException e) {
            throw new Missing("not a URL: " + node);
        }
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
            throw new Missing("node URL must look like http://HOST:PORT, got " + node);
        }
        return new ClientSettings(uri, token.strip(), source);
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }

    private static Optional<JsonNode> read(Path f) throws Missing {
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TomlMapper().readTree(f.toFile()));
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new Missing("cannot read client config " + f + ": " + m);
        }
    }
}
