package io.restfs.node.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.http.HttpServlet;
import javax.websocket.DeploymentException;
import javax.websocket.server.ServerContainer;
import javax.websocket.server.ServerEndpointConfig;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * The node's embedded Tomcat 9: one HTTP connector, one root context, servlets mounted by path and WebSocket
 * endpoints added programmatically. Owns Tomcat; close it to stop.
 */
public final class WebServer implements AutoCloseable {
    /** Request threads: enough for a handful of clients streaming at once and the cluster's own calls. */
    static final int MAX_THREADS = 64;

    private final Tomcat tomcat;
    private final Context context;
    private final Connector connector;
    private final List<ServerEndpointConfig> endpoints = new ArrayList<>();
    private int servlets;
    private boolean started;

    private WebServer(Tomcat tomcat, Context context, Connector connector) {
        this.tomcat = tomcat;
        this.context = context;
        this.connector = connector;
    }

    /** A server for {@code bind} (port 0: any free), with Tomcat's work files under {@code workDir}. */
    public static WebServer create(InetSocketAddress bind, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(workDir.toAbsolutePath().toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(bind.getPort());
        connector.setProperty("address", bind.getAddress().getHostAddress());
        connector.setProperty("maxThreads", Integer.toString(MAX_THREADS));
        // Bind when asked to, so a port in use is reported by start() rather than logged and ignored.
        connector.setProperty("bindOnInit", "true");
        connector.setThrowOnFailure(true);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Path docBase = workDir.resolve("root");
        Files.createDirectories(docBase);
        Context context = tomcat.addContext("", docBase.toAbsolutePath().toString());
        WebServer server = new WebServer(tomcat, context, connector);
        context.addServletContainerInitializer(new WsSci(), null);
        // Runs after WsSci (initializers run in the order added), which has published the ServerContainer.
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            for (ServerEndpointConfig e : server.endpoints) {
                try {
                    container.addEndpoint(e);
                } catch (DeploymentException ex) {
                    throw new javax.servlet.ServletException("cannot deploy WebSocket endpoint " + e.getPath(), ex);
                }
            }
        }, null);
        return server;
    }

    /** Serves {@code servlet} at {@code path} (a servlet mapping: {@code /rpc}, {@code /o/*}, {@code /}). */
    public synchronized void mount(String path, HttpServlet servlet) {
        String name = "servlet-" + (++servlets);
        Tomcat.addServlet(context, name, servlet);
        context.addServletMappingDecoded(path, name);
    }

    /** Adds a WebSocket endpoint; only before {@link #start()}. */
    public synchronized void addEndpoint(ServerEndpointConfig endpoint) {
        if (started) {
            throw new IllegalStateException("WebSocket endpoints must be added before the server starts");
        }
        endpoints.add(endpoint);
    }

    public synchronized void start() throws IOException {
        try {
            tomcat.start();
            started = true;
        } catch (LifecycleException e) {
            close();
            throw new IOException("cannot start the HTTP server on port " + connector.getPort() + ": "
                    + rootMessage(e), e);
        }
        if (connector.getLocalPort() <= 0) {
            close();
            throw new IOException("the HTTP server did not bind port " + connector.getPort());
        }
    }

    /** The port actually bound (after start). */
    public int port() {
        return connector.getLocalPort();
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.toString() : r.getMessage();
    }

    @Override
    public synchronized void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            org.slf4j.LoggerFactory.getLogger(WebServer.class).warn("HTTP server did not stop cleanly: {}",
                    e.toString());
        }
    }
}
