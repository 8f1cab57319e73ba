package io.restfs.node.transfer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A man in the middle on loopback: a TCP proxy to a transfer server that splits both directions into
 * frames (by their length fields) and lets a test alter, drop, repeat or add frames on the first
 * connection it carries. Later connections pass untouched, so a client's retry on a fresh connection
 * shows whether the server is still usable.
 */
final class TamperingProxy implements AutoCloseable {

    enum Direction { TO_SERVER, TO_CLIENT }

    /** What goes on in place of the first connection's {@code index}th frame in {@code direction} (0 = HELLO). */
    @FunctionalInterface
    interface Tamperer {
        List<byte[]> pass(Direction direction, int index, byte[] frame);
    }

    private final InetSocketAddress target;
    private final Tamperer tamperer;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Thread> pumps = new CopyOnWriteArrayList<>();
    /** Counted down once both sockets of the first connection are closed. */
    private final CountDownLatch firstClosed = new CountDownLatch(1);
    private volatile int connections;

    TamperingProxy(InetSocketAddress target, Tamperer tamperer) throws IOException {
        this.target = target;
        this.tamperer = tamperer;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "tampering-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections;
    }

    /** Waits until the first connection has been closed (by either end); true if it was within 10 s. */
    boolean awaitFirstClosed() throws InterruptedException {
        return firstClosed.await(10, TimeUnit.SECONDS);
    }

    /** Flips bit {@code bit} (0 = lowest) of byte {@code at} of a copy of {@code frame}. */
    static byte[] flip(byte[] frame, int at, int bit) {
        byte[] out = frame.clone();
        out[at] ^= (byte) (1 << bit);
        return out;
    }

    /** The frame's type byte (after its 4-byte length). */
    static byte type(byte[] frame) {
        return frame[4];
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                sockets.add(client);
                sockets.add(server);
                server.connect(target, 5_000);
                boolean tampered = connections == 0;
                connections++;
                CountDownLatch bothDone = new CountDownLatch(2);
                pump(client, server, Direction.TO_SERVER, tampered, bothDone);
                pump(server, client, Direction.TO_CLIENT, tampered, bothDone);
                if (tampered) {
                    Thread watcher = new Thread(() -> {
                        try {
                            bothDone.await();
                            firstClosed.countDown();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "tampering-proxy-watch");
                    watcher.setDaemon(true);
                    pumps.add(watcher);
                    watcher.start();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, Direction direction, boolean tampered, CountDownLatch done) {
        Thread t = new Thread(() -> {
            try {
                DataInputStream in = new DataInputStream(from.getInputStream());
                OutputStream out = to.getOutputStream();
                for (int index = 0; ; index++) {
                    int length = in.readInt();
                    byte[] frame = new byte[4 + length];
                    frame[0] = (byte) (length >>> 24);
                    frame[1] = (byte) (length >>> 16);
                    frame[2] = (byte) (length >>> 8);
                    frame[3] = (byte) length;
                    in.readFully(frame, 4, length);
                    for (byte[] f : tampered ? tamperer.pass(direction, index, frame) : List.of(frame)) {
                        out.write(f);
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // One end closed (or reset): close both, as a proxy does.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                done.countDown();
            }
        }, "tampering-proxy-" + direction.name().toLowerCase());
        t.setDaemon(true);
        pumps.add(t);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        acceptor.join(5_000);
        for (Thread t : pumps) {
            t.join(5_000);
        }
    }
}
