package io.restfs.node.rpc;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import javax.servlet.http.HttpServlet;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** An embedded Tomcat 9 on an ephemeral loopback port serving the given servlets, as the node mounts them. */
public final class TestHttpServer implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;

    private TestHttpServer(Tomcat tomcat, Connector connector) {
        this.tomcat = tomcat;
        this.connector = connector;
    }

    /** {@code mounts}: servlet mapping ({@code /rpc}, {@code /o/*}) to servlet. */
    public static TestHttpServer start(Path baseDir, Map<String, HttpServlet> mounts) throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", baseDir.toAbsolutePath().toString());
        int i = 0;
        for (Map.Entry<String, HttpServlet> m : mounts.entrySet()) {
            String name = "servlet" + i++;
            Tomcat.addServlet(ctx, name, m.getValue());
            ctx.addServletMappingDecoded(m.getKey(), name);
        }
        tomcat.start();
        return new TestHttpServer(tomcat, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
