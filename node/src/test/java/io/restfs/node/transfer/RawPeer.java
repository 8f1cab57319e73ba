package io.restfs.node.transfer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.restfs.dht.crypto.Ed25519KeyPair;

/**
 * A hand-driven peer on a plain blocking socket, for tests that must send what the real client never
 * would: garbage, oversized frames, forged handshakes, requests out of order. After a handshake it
 * completes, it tags what it sends and checks what it reads, as the real peers do.
 */
final class RawPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SessionMac session = new SessionMac();

    RawPeer(InetSocketAddress address) throws IOException {
        this(connect(address));
    }

    /** Drives an accepted socket: the server end, for tests of the client. */
    RawPeer(Socket accepted) throws IOException {
        socket = accepted;
        socket.setSoTimeout(5_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5_000);
        return s;
    }

    /** Sends {@code frame}, tagged once a handshake has completed. */
    void send(Frame frame) throws IOException {
        ByteBuf b = FrameCodec.encode(frame, UnpooledByteBufAllocator.DEFAULT, session);
        try {
            out.write(ByteBufUtil.getBytes(b));
            out.flush();
        } finally {
            b.release();
        }
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Sends a frame of any type and body, tagged once a handshake has completed: for frames the codec
     * would refuse to write (unknown types, bad bodies) that must still pass the tag check.
     */
    void sendFrame(int type, int requestId, byte[] body) throws IOException {
        boolean sealed = session.sealing();
        int tag = sealed ? SessionMac.TAG_BYTES : 0;
        ByteBuf b = Unpooled.buffer();
        b.writeInt(FrameCodec.HEADER_AFTER_LENGTH + tag + body.length).writeByte(type).writeInt(requestId)
                .writeZero(tag).writeBytes(body);
        if (sealed) {
            session.seal(b, 0);
        }
        sendRaw(ByteBufUtil.getBytes(b));
    }

    /** The next frame, decoded (and, after a handshake, checked) as the real decoder would. */
    Frame read() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return FrameCodec.decodeBody(Unpooled.wrappedBuffer(body), length, session);
    }

    /** Reads until the server closes the connection; true if it did within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /**
     * Runs the client side of the handshake, claiming {@code claimedKey} but signing with {@code signer}
     * and MACing with {@code clusterKey}; returns the server's answer to our AUTH (its AUTH, or an ERROR).
     */
    Frame handshake(byte[] claimedKey, Ed25519KeyPair signer, byte[] clusterKey) throws IOException {
        byte[] nonce = new byte[FrameCodec.NONCE_BYTES];
        new java.util.Random(1).nextBytes(nonce);
        send(new Frame.Hello(Handshake.PROTOCOL_VERSION, claimedKey, nonce));
        Frame.Hello server = (Frame.Hello) read();
        byte[] transcript = Handshake.transcript(Handshake.Role.CLIENT, claimedKey, server.publicKey(), nonce, server.nonce());
        Frame.Auth real = Handshake.prove(new ClusterIdentity(signer, clusterKey), transcript);
        send(real);
        Frame answer = read();
        if (answer instanceof Frame.Auth) {
            Handshake.SessionKeys keys = Handshake.sessionKeys(clusterKey, claimedKey, server.publicKey(), nonce,
                    server.nonce());
            session.startSending(keys.clientToServer());
            session.startReceiving(keys.serverToClient());
        }
        return answer;
    }

    /** Runs the server side of the handshake as {@code identity}; returns the client's HELLO. */
    Frame.Hello serverHandshake(ClusterIdentity identity) throws IOException {
        Frame.Hello client = (Frame.Hello) read();
        byte[] nonce = new byte[FrameCodec.NONCE_BYTES];
        new java.util.Random(2).nextBytes(nonce);
        byte[] myKey = identity.nodeKey().publicKey();
        send(new Frame.Hello(Handshake.PROTOCOL_VERSION, myKey, nonce));
        read(); // the client's AUTH, taken on trust: this end tests the client, not itself
        send(Handshake.prove(identity, Handshake.transcript(Handshake.Role.SERVER, client.publicKey(), myKey,
                client.nonce(), nonce)));
        Handshake.SessionKeys keys = Handshake.sessionKeys(identity.clusterKey(), client.publicKey(), myKey,
                client.nonce(), nonce);
        session.startSending(keys.serverToClient());
        session.startReceiving(keys.clientToServer());
        return client;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
