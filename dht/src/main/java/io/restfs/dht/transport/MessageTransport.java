package io.restfs.dht.transport;

import io.restfs.dht.krpc.KrpcMessage;

import java.net.InetSocketAddress;

/**
 * A transport that carries KRPC messages as records instead of datagrams: a simulator's network, where encoding
 * every message to bencode and decoding it again at the receiver was a quarter of the CPU and changes nothing the
 * receiver sees ({@code decode(encode(m))} equals {@code m}, which the codec's round-trip test proves). The sender
 * still states each message's encoded size, so byte counts and the datagram size limit stay those of the wire.
 *
 * <p>The RPC engine uses this interface instead of the datagram methods whenever its transport implements it; a
 * real socket never does. Messages are immutable records, but their byte-array fields (tokens, values) are shared
 * with the receiver, so neither side may modify them: the engine never does.
 */
public interface MessageTransport extends Transport {
    /** Receives messages on the node's logic thread. */
    @FunctionalInterface
    interface MessageHandler {
        /**
         * {@code message} from {@code from}, whose encoding is {@code encodedBytes} long; the receiver refuses it
         * as a datagram decoder would refuse an oversized packet.
         */
        void onMessage(InetSocketAddress from, KrpcMessage message, int encodedBytes);
    }

    /** Starts delivering received messages to {@code handler}; called once, before the first send. */
    void startMessages(MessageHandler handler);

    /** Sends one message whose canonical encoding is {@code encodedBytes} long; best effort, as UDP is. */
    void send(InetSocketAddress to, KrpcMessage message, int encodedBytes);
}
