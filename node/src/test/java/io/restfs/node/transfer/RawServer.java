package io.restfs.node.transfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listening socket whose connections a test drives by hand, each on its own named thread. */
final class RawServer implements AutoCloseable {

    @FunctionalInterface
    interface Behavior {
        void serve(RawPeer connection) throws Exception;
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final CopyOnWriteArrayList<Socket> accepted = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Thread> handlers = new CopyOnWriteArrayList<>();

    RawServer(Behavior behavior) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    accepted.add(s);
                    Thread t = new Thread(() -> {
                        try (RawPeer peer = new RawPeer(s)) {
                            behavior.serve(peer);
                        } catch (Exception e) {
                            // The client went away, or the behavior ended by closing: either way done.
                        }
                    }, "raw-server-connection");
                    t.setDaemon(true);
                    handlers.add(t);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() throws Exception {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
        acceptor.join(5_000);
        for (Thread t : handlers) {
            t.interrupt(); // a behavior may be parked on purpose, playing a stuck peer
            t.join(5_000);
        }
    }
}
