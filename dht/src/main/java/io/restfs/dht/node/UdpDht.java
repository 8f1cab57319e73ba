package io.restfs.dht.node;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.env.Environment;
import io.restfs.dht.env.EventLoopScheduler;
import io.restfs.dht.persist.MemoryStateStore;
import io.restfs.dht.persist.StateStore;
import io.restfs.dht.persist.XodusStateStore;
import io.restfs.dht.transport.UdpTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A DHT node wired for production: real UDP, a named logic thread, the system clocks, a secure random, and its
 * state in Xodus under a directory (or in memory when none is given). Owns all of them; close it to stop.
 */
public final class UdpDht implements AutoCloseable {
    /** How long close() waits for the node to save its state and stop. */
    static final long CLOSE_WAIT_SECONDS = 10;

    private final EventLoopScheduler logic;
    private final DhtNode node;

    private UdpDht(EventLoopScheduler logic, DhtNode node) {
        this.logic = logic;
        this.node = node;
    }

    /**
     * Binds UDP at {@code bind} (port 0 picks one) and starts a node with {@code key}'s id, loading and saving its
     * routing table and items under {@code stateDir} when present.
     */
    public static UdpDht open(DhtConfig config, Ed25519KeyPair key, InetSocketAddress bind, Optional<Path> stateDir)
            throws IOException {
        EventLoopScheduler logic = new EventLoopScheduler("restfs-dht-" + key.nodeId().toHex().substring(0, 8));
        UdpTransport transport = null;
        StateStore state = null;
        try {
            transport = UdpTransport.bind(bind, logic);
            if (stateDir.isPresent()) {
                Files.createDirectories(stateDir.get());
                state = XodusStateStore.open(stateDir.get());
            } else {
                state = new MemoryStateStore();
            }
            Environment env = new Environment(logic, logic, new SecureRandom(), System::currentTimeMillis);
            DhtNode node = DhtNode.start(config, key, env, transport, state);
            node.ready().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            return new UdpDht(logic, node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(transport, state, logic);
            throw new IOException("interrupted while starting the DHT node", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(transport, state, logic);
            throw new IOException("DHT node did not start: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(transport, state, logic);
            throw e;
        }
    }

    private static void closeQuietly(UdpTransport transport, StateStore state, EventLoopScheduler logic) {
        if (transport != null) {
            transport.close();
        }
        if (state != null) {
            state.close();
        }
        logic.close();
    }

    public DhtNode node() {
        return node;
    }

    @Override
    public void close() {
        try {
            node.close().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            org.slf4j.LoggerFactory.getLogger(UdpDht.class).warn("dht node {} did not stop cleanly: {}", node.id(),
                    e.toString());
        } finally {
            logic.close();
        }
    }
}
