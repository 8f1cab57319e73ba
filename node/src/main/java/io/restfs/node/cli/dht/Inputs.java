package io.restfs.node.cli.dht;

import io.restfs.dht.id.NodeId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Parses the command line's values (addresses, ids, keys) into DHT types, refusing bad ones with a clear message. */
final class Inputs {
    private Inputs() {
    }

    /** {@code HOST:PORT}, {@code [IPV6]:PORT}; the host is resolved now so a typo fails before any network work. */
    static InetSocketAddress hostPort(String text) throws CliFailure {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw CliFailure.badInput("'" + text + "' is not HOST:PORT ([IPV6]:PORT for IPv6)");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw CliFailure.badInput("'" + text + "' is not HOST:PORT ([IPV6]:PORT for IPv6)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p = port(port, text);
        if (p == 0) {
            throw CliFailure.badInput("'" + text + "': port 0 cannot be reached");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw CliFailure.badInput("unknown host '" + host + "' in '" + text + "'");
        }
    }

    static List<InetSocketAddress> hostPorts(List<String> texts) throws CliFailure {
        List<InetSocketAddress> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(hostPort(t));
        }
        return out;
    }

    /** A UDP port, 0-65535. */
    static int port(String digits, String context) throws CliFailure {
        try {
            int p = Integer.parseInt(digits);
            if (p >= 0 && p <= 0xffff) {
                return p;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw CliFailure.badInput("'" + context + "': port must be a number 0-65535");
    }

    /** A 160-bit id or BEP 44 target as 40 hex digits. */
    static NodeId nodeId(String hex, String what) throws CliFailure {
        String h = hex.strip();
        if (h.length() != NodeId.LENGTH * 2 || !isHex(h)) {
            throw CliFailure.badInput("'" + hex + "' is not a " + what + ": need " + NodeId.LENGTH * 2
                    + " hex digits");
        }
        return NodeId.fromHex(h.toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code bytes} bytes given as hex digits. */
    static byte[] hexBytes(String hex, int bytes, String what) throws CliFailure {
        String h = hex.strip();
        if (h.length() != bytes * 2 || !isHex(h)) {
            throw CliFailure.badInput("'" + hex + "' is not a " + what + ": need " + bytes * 2 + " hex digits");
        }
        return HexFormat.of().parseHex(h);
    }

    static InetAddress bindAddress(String text) throws CliFailure {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw CliFailure.badInput("unknown bind address '" + text + "'");
        }
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
