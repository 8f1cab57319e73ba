package io.restfs.node.pubsub;

import io.restfs.dht.id.NodeId;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import javax.websocket.CloseReason;
import javax.websocket.Endpoint;
import javax.websocket.EndpointConfig;
import javax.websocket.HandshakeResponse;
import javax.websocket.Session;
import javax.websocket.server.HandshakeRequest;
import javax.websocket.server.ServerEndpointConfig;

/** The two ends of a /ws connection, both handing frames to the {@link PubSubHub}. */
final class WsEndpoints {
    static final String PATH = "/ws";
    private static final String BEARER_PROPERTY = "restfs.bearer";
    private static final String CONNECTION_PROPERTY = "restfs.connection";

    private WsEndpoints() {
    }

    /** The server endpoint at /ws, one instance per connection, with the handshake's bearer token kept. */
    static ServerEndpointConfig serverConfig(PubSubHub hub) {
        return ServerEndpointConfig.Builder.create(Server.class, PATH).configurator(new ServerEndpointConfig.Configurator() {
            @Override
            public <T> T getEndpointInstance(Class<T> endpointClass) {
                return endpointClass.cast(new Server(hub));
            }

            @Override
            public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
                // Tomcat gives each handshake its own copy of the config, so this is per connection.
                List<String> auth = request.getHeaders().get("Authorization");
                if (auth != null && !auth.isEmpty() && auth.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
                    sec.getUserProperties().put(BEARER_PROPERTY, auth.get(0).substring(7).trim());
                }
            }
        }).build();
    }

    /** Our side of a link we dial to another node. */
    static Endpoint client(PubSubHub hub, NodeId expectedPeer) {
        return new Client(hub, expectedPeer);
    }

    private static void wire(PubSubHub hub, Session session, WsConnection c) {
        session.setMaxTextMessageBufferSize(PubSubHub.MAX_BUFFERED_CHARS);
        session.setMaxBinaryMessageBufferSize(PubSubHub.MAX_BUFFERED_CHARS);
        session.getUserProperties().put(CONNECTION_PROPERTY, c);
        session.addMessageHandler(String.class, text -> hub.received(c, text));
        session.addMessageHandler(ByteBuffer.class, bytes -> c.sendError("bad_frame", "frames are JSON text"));
        hub.opened(c);
    }

    private static void closed(PubSubHub hub, Session session) {
        Object c = session.getUserProperties().get(CONNECTION_PROPERTY);
        if (c instanceof WsConnection conn) {
            hub.closed(conn);
        }
    }

    static final class Server extends Endpoint {
        private final PubSubHub hub;

        Server(PubSubHub hub) {
            this.hub = hub;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Map<String, Object> props = config.getUserProperties();
            Object bearer = props.get(BEARER_PROPERTY);
            wire(hub, session, new WsConnection(WsConnection.Role.SERVER, session, null,
                    bearer instanceof String s ? s : "", hub.now()));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed(hub, session);
        }

        @Override
        public void onError(Session session, Throwable error) {
            // An abrupt disconnect or oversized message; onClose follows and does the bookkeeping.
        }
    }

    static final class Client extends Endpoint {
        private final PubSubHub hub;
        private final NodeId expectedPeer;

        Client(PubSubHub hub, NodeId expectedPeer) {
            this.hub = hub;
            this.expectedPeer = expectedPeer;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            wire(hub, session, new WsConnection(WsConnection.Role.CLIENT, session, expectedPeer, "", hub.now()));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed(hub, session);
        }

        @Override
        public void onError(Session session, Throwable error) {
            // onClose follows.
        }
    }
}
