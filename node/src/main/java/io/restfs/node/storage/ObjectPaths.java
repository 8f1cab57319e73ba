package io.restfs.node.storage;

import java.nio.charset.StandardCharsets;

import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import io.restfs.api.RestfsException;

/** Object paths: absolute, "/" separated, no empty, "." or ".." parts, within {@link Limits#MAX_PATH_BYTES}. */
final class ObjectPaths {
    static final String ROOT = "/";

    private ObjectPaths() {
    }

    /** The canonical form of {@code path} (leading "/", no trailing "/"), or INVALID_PARAMS saying why not. */
    static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            throw invalid(path, "a path is required");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_PATH_BYTES) {
            throw invalid(path.substring(0, 40) + "...", "longer than " + Limits.MAX_PATH_BYTES + " bytes");
        }
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals(ROOT)) {
            return ROOT;
        }
        for (String part : p.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw invalid(path, "empty, \".\" and \"..\" parts are not allowed");
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < 0x20) {
                    throw invalid(path, "control characters are not allowed");
                }
            }
        }
        return p;
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? ROOT : path.substring(0, i);
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether {@code path} is {@code ancestor} or lies under it. */
    static boolean within(String path, String ancestor) {
        return path.equals(ancestor) || ancestor.equals(ROOT) || path.startsWith(ancestor + "/");
    }

    private static RestfsException invalid(String path, String why) {
        return new RestfsException(ErrorCode.INVALID_PARAMS, "bad path " + path + ": " + why);
    }
}
