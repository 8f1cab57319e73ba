package io.restfs.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.node.transfer.ClusterIdentity;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a new node needs to join: a seed's API address and the cluster key, as one base64url string (of a small
 * JSON object) that {@code restfs init} prints on the first node and takes on later ones. It holds the cluster key,
 * so it is as secret as that key.
 *
 * @param seed the seed's {@code host:port} (its API port; discovery runs at ws://seed/ws)
 */
public record JoinToken(String seed, byte[] clusterKey) {
    /** Format version inside the token, so a later format is refused clearly rather than misread. */
    static final int VERSION = 1;

    public JoinToken {
        NodeConfigFile.checkHostPort(seed);
        if (clusterKey.length != ClusterIdentity.CLUSTER_KEY_BYTES) {
            throw new IllegalArgumentException("cluster key must be " + ClusterIdentity.CLUSTER_KEY_BYTES + " bytes");
        }
        clusterKey = clusterKey.clone();
    }

    @Override
    public byte[] clusterKey() {
        return clusterKey.clone();
    }

    /** The seed's discovery URL. */
    public URI seedUrl() {
        return URI.create("ws://" + seed + "/ws");
    }

    public String encode() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("v", VERSION);
        o.put("seed", seedUrl().toString());
        o.put("key", Base64.getUrlEncoder().withoutPadding().encodeToString(clusterKey));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a token; anything else is refused with an {@link IllegalArgumentException} saying why. */
    public static JoinToken decode(String token) {
        try {
            JsonNode o = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.trim()));
            if (o == null || !o.isObject() || o.path("v").asInt() != VERSION) {
                throw new IllegalArgumentException("not a restfs join token (version " + VERSION + ")");
            }
            URI seed = URI.create(o.path("seed").asText());
            if (!"ws".equals(seed.getScheme()) || seed.getHost() == null || seed.getPort() < 1) {
                throw new IllegalArgumentException("join token's seed is not ws://HOST:PORT/ws: " + seed);
            }
            String host = seed.getHost().contains(":") && !seed.getHost().startsWith("[")
                    ? "[" + seed.getHost() + "]" : seed.getHost();
            return new JoinToken(host + ":" + seed.getPort(), Base64.getUrlDecoder().decode(o.path("key").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a restfs join token: " + e.getMessage(), e);
        }
    }
}
