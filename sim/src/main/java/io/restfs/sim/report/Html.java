package io.restfs.sim.report;

import io.restfs.sim.SimResult;
import java.util.List;

/** The HTML pages that show a run's or a sweep's charts beside its summary. */
final class Html {
    private Html() {
    }

    static String runPage(SimResult result, List<String> charts) {
        StringBuilder b = head("restfs sim: " + result.options().nodes() + " nodes, seed " + result.options().seed());
        b.append("<p>Replay: <code>").append(escape(result.options().replayCommand())).append("</code></p>\n");
        b.append("<p>Data: <a href=\"").append(Report.SUMMARY).append("\">").append(Report.SUMMARY)
                .append("</a>, <a href=\"").append(Report.TIMESERIES).append("\">").append(Report.TIMESERIES)
                .append("</a>, <a href=\"").append(Report.RUN_LOG).append("\">").append(Report.RUN_LOG)
                .append("</a></p>\n");
        for (String c : charts) {
            b.append("<figure><img src=\"").append(c).append("\" alt=\"").append(c).append("\"></figure>\n");
        }
        b.append("<h2>Summary</h2>\n<pre>").append(escape(Report.summaryJson(result))).append("</pre>\n");
        return b.append("</body></html>\n").toString();
    }

    static String sweepPage(String title, List<String> charts, List<String> runDirs, String csvName) {
        StringBuilder b = head(title);
        b.append("<p>Data: <a href=\"").append(csvName).append("\">").append(csvName).append("</a></p>\n");
        for (String c : charts) {
            b.append("<figure><img src=\"").append(c).append("\" alt=\"").append(c).append("\"></figure>\n");
        }
        b.append("<h2>Runs</h2>\n<ul>\n");
        for (String d : runDirs) {
            b.append("<li><a href=\"").append(d).append("/index.html\">").append(escape(d)).append("</a></li>\n");
        }
        return b.append("</ul>\n</body></html>\n").toString();
    }

    private static StringBuilder head(String title) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}"
                        + "img{max-width:100%}pre{background:#f4f4f4;padding:1em;overflow:auto}</style>"
                        + "</head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        return b;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
