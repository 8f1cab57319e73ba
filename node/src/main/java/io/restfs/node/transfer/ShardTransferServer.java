package io.restfs.node.transfer;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.dht.id.NodeId;

/**
 * Serves a node's {@link ShardStore} to the other nodes of its cluster over TCP: PUT, GET, HAS and
 * DELETE of shards, after a mutual handshake with node keys and the cluster key (see
 * {@link Handshake}; the frames are in {@link FrameCodec}).
 *
 * <p>The channel authenticates but does not encrypt: shards are already AES-256-GCM ciphertext and
 * their hashes are checked end to end, so what an eavesdropper learns is which shard keys move
 * where. Every frame after the handshake carries a tag under a per-connection, per-direction session
 * key with an implicit sequence number ({@link SessionMac}), so an attacker who can rewrite TCP
 * segments on the path cannot inject, alter, replay, reorder or drop a frame unnoticed: the first
 * frame that fails its check closes the connection, and nothing of it reaches the store.
 *
 * <p>Netty handlers only decode and hand over; store I/O (which fsyncs) runs on a bounded pool of
 * store threads, and a full pool answers BUSY instead of queueing without end. The server owns its
 * threads and closes them in {@link #close()}; it does not own the store.
 */
public final class ShardTransferServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardTransferServer.class);

    /**
     * Socket write buffer marks: a few chunks, so one 64 KiB DATA frame never flips writability by
     * itself, and a slow reader stops the sender after at most 256 KiB queued per connection.
     */
    static final WriteBufferWaterMark WATER_MARK =
            new WriteBufferWaterMark(2 * FrameCodec.CHUNK_BYTES, 4 * FrameCodec.CHUNK_BYTES);

    /**
     * How long close waits for store operations in flight: a put's fsyncs take milliseconds, so 30 s
     * only runs out on a hung disk, and then interrupting is all that is left.
     */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ThreadPoolExecutor storeExecutor;
    private final ChannelGroup channels;
    private final Channel serverChannel;
    private final TransferStats.Counters counters;
    private final ClusterIdentity identity;

    private ShardTransferServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, ThreadPoolExecutor storeExecutor,
                                ChannelGroup channels, Channel serverChannel, TransferStats.Counters counters,
                                ClusterIdentity identity) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.storeExecutor = storeExecutor;
        this.channels = channels;
        this.serverChannel = serverChannel;
        this.counters = counters;
        this.identity = identity;
    }

    /** Starts listening; returns once bound. */
    public static ShardTransferServer start(ShardStore store, ClusterIdentity identity, TransferServerConfig config) {
        if (store == null || identity == null || config == null) {
            throw new IllegalArgumentException("store, identity and config are required");
        }
        int port = config.bind().getPort();
        String name = "restfs-transfer-server-" + (port == 0 ? "any" : port);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory(name + "-accept", true), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory(name + "-io", true), NioIoHandler.newFactory());
        ThreadPoolExecutor storeExecutor = new ThreadPoolExecutor(config.storeThreads(), config.storeThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, config.storeQueue())),
                new DefaultThreadFactory(name + "-store", true), new ThreadPoolExecutor.AbortPolicy());
        ChannelGroup channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        TransferStats.Counters counters = new TransferStats.Counters();
        ServerConnection.Shared shared = new ServerConnection.Shared(store, identity, config, storeExecutor, counters,
                new SecureRandom());
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            channels.add(ch);
                            SessionMac session = new SessionMac();
                            ch.pipeline()
                                    .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                    .addLast("decoder", new FrameCodec.Decoder(session))
                                    .addLast("encoder", new FrameCodec.Encoder(session))
                                    .addLast("connection", new ServerConnection(shared, session));
                        }
                    })
                    .bind(config.bind()).syncUninterruptibly().channel();
            log.info("transfer: node {} serving shards on {}", identity.nodeId(), server.localAddress());
            return new ShardTransferServer(boss, workers, storeExecutor, channels, server, counters, identity);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            storeExecutor.shutdownNow();
            throw e;
        }
    }

    /** Where it listens (with the real port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The node id it proves in the handshake. */
    public NodeId nodeId() {
        return identity.nodeId();
    }

    public TransferStats stats() {
        return counters.snapshot();
    }

    /**
     * Stops accepting, closes every connection (streams in progress are abandoned; the store discards
     * their partial writes), lets store operations in flight finish, and stops all threads.
     */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        channels.close().awaitUninterruptibly();
        storeExecutor.shutdown();
        try {
            if (!storeExecutor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("transfer: store operations still running after {} s; interrupting them", CLOSE_WAIT.toSeconds());
                storeExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            storeExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        bossGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
