package io.restfs.node.rpc;

import com.googlecode.jsonrpc4j.JsonRpcParam;

import java.util.List;

/** The methods the JSON-RPC 2.0 specification's examples (section 7) call. */
public interface SpecExamples {
    int subtract(@JsonRpcParam("minuend") int minuend, @JsonRpcParam("subtrahend") int subtrahend);

    int sum(int a, int b, int c);

    void update(int a, int b, int c, int d, int e);

    void notify_hello(int value);

    List<Object> get_data();

    /** The service behind the examples: arithmetic as specified, and a count of the notifications received. */
    final class Service implements SpecExamples {
        final java.util.concurrent.atomic.AtomicInteger notifications = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public int subtract(int minuend, int subtrahend) {
            return minuend - subtrahend;
        }

        @Override
        public int sum(int a, int b, int c) {
            return a + b + c;
        }

        @Override
        public void update(int a, int b, int c, int d, int e) {
            notifications.incrementAndGet();
        }

        @Override
        public void notify_hello(int value) {
            notifications.incrementAndGet();
        }

        @Override
        public List<Object> get_data() {
            return List.of("hello", 5);
        }
    }
}
