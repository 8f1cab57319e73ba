package io.restfs.dht.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.restfs.dht.env.Scheduler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * KRPC over real UDP with Netty. The Netty thread only copies each datagram out and hands it to the node's
 * scheduler; all protocol work happens on the logic thread. Owns its one-thread event loop group.
 */
public final class UdpTransport implements Transport {
    /**
     * Largest datagram accepted. KRPC messages fit one unfragmented packet (~1500 bytes), a BEP 44 put with
     * a 1000-byte value and its key/signature stays under 1400; anything larger is not a DHT message.
     */
    public static final int MAX_DATAGRAM = 2048;

    private final EventLoopGroup group;
    private final Scheduler scheduler;
    private volatile Channel channel;
    private final AtomicLong oversize = new AtomicLong();
    private volatile PacketHandler handler;

    private UdpTransport(EventLoopGroup group, Scheduler scheduler) {
        this.group = group;
        this.scheduler = scheduler;
    }

    /** Binds a UDP socket at {@code bind} (port 0 picks a free one); received packets go to {@code scheduler}. */
    public static UdpTransport bind(InetSocketAddress bind, Scheduler scheduler) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("restfs-dht-udp-" + bind.getPort(), true), NioIoHandler.newFactory());
        UdpTransport self = new UdpTransport(group, scheduler);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                // One byte more than the limit, so an oversize datagram is seen as such rather than cut.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM + 1))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        self.received(msg.sender(), msg.content());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP port unreachable and the like: UDP is best effort, nothing to do.
                    }
                });
        try {
            self.channel = b.bind(bind).sync().channel();
            return self;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("interrupted binding UDP " + bind, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind UDP " + bind + ": " + e.getMessage(), e);
        }
    }

    private void received(InetSocketAddress from, ByteBuf content) {
        if (content.readableBytes() > MAX_DATAGRAM) {
            oversize.incrementAndGet();
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        PacketHandler h = handler;
        if (h != null) {
            scheduler.execute(() -> h.onPacket(from, bytes));
        }
    }

    @Override
    public void start(PacketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void send(InetSocketAddress to, byte[] packet) {
        if (channel.isActive()) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), to), channel.voidPromise());
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Datagrams dropped for exceeding {@link #MAX_DATAGRAM}. */
    public long oversizeDropped() {
        return oversize.get();
    }

    @Override
    public void close() {
        handler = null;
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
