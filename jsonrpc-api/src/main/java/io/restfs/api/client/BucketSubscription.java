package io.restfs.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.api.BucketEvent;
import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import io.restfs.api.RestfsException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client's subscription to one bucket's events ({@code bucket.<name>} on the node's {@code /ws} pub/sub), made by
 * {@link RestfsClient#subscribe}. Events arrive on the HTTP client's WebSocket thread, in the order the node sends
 * them; a listener that throws loses that event only. The node does not replay what a closed subscription missed:
 * when {@link #closed()} completes, cached state should be revalidated and a new subscription made.
 */
public final class BucketSubscription implements AutoCloseable {
    private final WebSocket socket;
    private final Frames frames;

    private BucketSubscription(WebSocket socket, Frames frames) {
        this.socket = socket;
        this.frames = frames;
    }

    /** Connects to {@code ws(s)://.../ws}, subscribes and waits for the node to confirm or refuse. */
    static BucketSubscription open(HttpClient http, URI base, String token, String bucket,
            Consumer<BucketEvent> listener, Duration timeout, ObjectMapper json) {
        URI ws = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + base.toString()
                .substring(base.getScheme().length())).resolve("ws");
        String topic = BucketEvent.topic(bucket);
        Frames frames = new Frames(topic, listener, json);
        WebSocket socket = await(http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .connectTimeout(timeout).buildAsync(ws, frames), timeout, "connecting to " + ws);
        try {
            String subscribe = json.createObjectNode().put("type", "subscribe").put("topic", topic).toString();
            await(socket.sendText(subscribe, true), timeout, "subscribing to " + topic);
            await(frames.subscribed, timeout, "subscribing to " + topic);
        } catch (RuntimeException e) {
            socket.abort();
            throw e;
        }
        return new BucketSubscription(socket, frames);
    }

    /** The topic followed: {@code bucket.<name>}. */
    public String topic() {
        return frames.topic;
    }

    /** Completes when the subscription ends: closed here, by the node, or by a broken connection. */
    public CompletableFuture<Void> closed() {
        return frames.closed;
    }

    @Override
    public void close() {
        if (!frames.closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "client closed")
                    .whenComplete((ws, e) -> socket.abort());
        }
        frames.closed.complete(null);
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestfsException(ErrorCode.NOT_READY, what + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RestfsException r) {
                throw r;
            }
            throw new RestfsException(ErrorCode.NOT_READY, what + " failed: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new RestfsException(ErrorCode.NOT_READY, what + ": no answer in " + timeout.toSeconds() + " s", e);
        }
    }

    /** Reads the node's frames: the answer to the subscription, then events. */
    private static final class Frames implements WebSocket.Listener {
        final String topic;
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final Consumer<BucketEvent> listener;
        private final ObjectMapper json;
        private final StringBuilder partial = new StringBuilder();

        Frames(String topic, Consumer<BucketEvent> listener, ObjectMapper json) {
            this.topic = topic;
            this.listener = listener;
            this.json = json;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (partial.length() + data.length() > Limits.MAX_PUBSUB_FRAME_CHARS) {
                // A node never sends one this large; buffering it would let a bad node fill our heap.
                partial.setLength(0);
                socket.abort();
                ended(new RestfsException(ErrorCode.TOO_LARGE, "the node sent a frame of over "
                        + Limits.MAX_PUBSUB_FRAME_CHARS + " characters; subscription closed"));
                return null;
            }
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(text);
            }
            socket.request(1);
            return null;
        }

        private void handle(String text) {
            JsonNode f;
            try {
                f = json.readTree(text);
            } catch (JsonProcessingException e) {
                return; // The node sends JSON only; anything else is not ours to act on.
            }
            switch (f.path("type").asText()) {
                case "subscribed" -> subscribed.complete(null);
                case "error" -> subscribed.completeExceptionally(refusal(f.path("code").asText(),
                        f.path("message").asText()));
                case "event" -> {
                    JsonNode d = f.path("data");
                    // The node may send one before its "subscribed" answer: it takes effect before it is answered.
                    if (topic.equals(f.path("topic").asText())) {
                        deliver(new BucketEvent(d.path("type").asText(), d.path("path").asText(),
                                d.path("version").asLong()));
                    }
                }
                default -> {
                    // Frames for node links (hello, heartbeat) mean nothing to a client.
                }
            }
        }

        private void deliver(BucketEvent e) {
            try {
                listener.accept(e);
            } catch (RuntimeException ignored) {
                // Documented: a listener that throws loses that event, not the subscription.
            }
        }

        private static RestfsException refusal(String code, String message) {
            ErrorCode c = switch (code) {
                case "unauthorized" -> ErrorCode.UNAUTHORIZED;
                case "forbidden" -> ErrorCode.FORBIDDEN;
                case "unknown_topic", "bad_frame" -> ErrorCode.INVALID_PARAMS;
                case "too_many_topics", "too_large" -> ErrorCode.TOO_LARGE;
                default -> ErrorCode.INTERNAL_ERROR;
            };
            return new RestfsException(c, message);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            ended("the node closed the connection (" + statusCode + " " + reason + ")");
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            ended("the connection failed: " + error.getMessage());
        }

        private void ended(String why) {
            ended(new RestfsException(ErrorCode.NOT_READY, why));
        }

        private void ended(RestfsException why) {
            subscribed.completeExceptionally(why);
            closed.complete(null);
        }
    }
}
