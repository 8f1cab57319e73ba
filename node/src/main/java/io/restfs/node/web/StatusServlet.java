package io.restfs.node.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Supplier;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The status page: GET / renders the node's status as HTML (members, capacity, health at a glance) and
 * GET /status.json gives the same as JSON for scripts and {@code restfs cluster}. Anything else is 404.
 */
public final class StatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The status page refreshes itself this often (seconds): quick enough to watch a node die. */
    static final int REFRESH_SECONDS = 5;

    private final transient Supplier<JsonNode> status;

    public StatusServlet(Supplier<JsonNode> status) {
        this.status = status;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        switch (path) {
            case "/status.json" -> {
                resp.setContentType("application/json");
                resp.setCharacterEncoding("UTF-8");
                resp.setHeader("Cache-Control", "no-store");
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(resp.getWriter(), status.get());
            }
            case "/", "" -> {
                resp.setContentType("text/html");
                resp.setCharacterEncoding("UTF-8");
                resp.setHeader("Cache-Control", "no-store");
                render(status.get(), resp.getWriter());
            }
            default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page: " + path);
        }
    }

    static void render(JsonNode s, PrintWriter w) {
        String health = s.path("health").asText();
        w.println("<!doctype html><html><head><meta charset=\"utf-8\">");
        w.println("<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">");
        w.println("<title>restfs node " + esc(s.path("nodeId").asText().substring(0, 8)) + "</title>");
        w.println("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}"
                + ".ok{color:#080}.degraded,.alone{color:#b60}.dead{color:#c00}.left{color:#888}</style>");
        w.println("</head><body>");
        w.println("<h1>restfs node <code>" + esc(s.path("nodeId").asText()) + "</code></h1>");
        w.println("<p>Health: <b class=\"" + esc(health) + "\">" + esc(health) + "</b> &middot; group <b>"
                + esc(s.path("group").asText()) + "</b> &middot; up " + s.path("uptimeSeconds").asLong() + " s</p>");
        w.println("<p>Shards: " + s.path("shardCount").asLong() + " &middot; stored " + bytes(s.path("bytesStored"))
                + " &middot; free " + bytes(s.path("freeBytes")) + " of " + bytes(s.path("capacityBytes"))
                + " &middot; DHT contacts " + s.path("dhtContacts").size() + "</p>");
        w.println("<h2>Members (" + (s.path("members").size() + 1) + ")</h2>");
        w.println("<table><tr><th>node</th><th>state</th><th>group</th><th>API</th><th>free</th>"
                + "<th>capacity</th><th>linked</th></tr>");
        w.println(row(s.path("self"), "self", true));
        for (JsonNode m : s.path("members")) {
            w.println(row(m, m.path("state").asText(), m.path("linked").asBoolean()));
        }
        w.println("</table>");
        w.println("<p><a href=\"/status.json\">status.json</a> &middot; <a href=\"/metrics\">metrics</a></p>");
        w.println("</body></html>");
    }

    private static String row(JsonNode m, String state, boolean linked) {
        return "<tr><td><code>" + esc(m.path("nodeId").asText()) + "</code></td><td class=\"" + esc(state) + "\">"
                + esc(state) + "</td><td>" + esc(m.path("group").asText()) + "</td><td>"
                + esc(m.path("apiUrl").asText()) + "</td><td>" + bytes(m.path("freeBytes")) + "</td><td>"
                + bytes(m.path("capacityBytes")) + "</td><td>" + (linked ? "yes" : "no") + "</td></tr>";
    }

    static String bytes(JsonNode n) {
        double b = n.asDouble();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? (long) b + " B" : String.format("%.1f %s", b, units[u]);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
