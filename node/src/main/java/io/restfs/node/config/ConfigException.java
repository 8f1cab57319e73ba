package io.restfs.node.config;

import java.nio.file.Path;

/**
 * A node configuration file that cannot be used: says which file, which line (0 when unknown) and which setting
 * (dotted, as written in the file: {@code api.port}), and what is wrong with it.
 */
public final class ConfigException extends Exception {
    private final Path file;
    private final int line;
    private final String setting;

    public ConfigException(Path file, int line, String setting, String problem) {
        super(file + (line > 0 ? ":" + line : "") + (setting.isEmpty() ? "" : ": setting " + setting) + ": " + problem);
        this.file = file;
        this.line = line;
        this.setting = setting;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the offending setting, or 0 when it is not in the file (a missing file, for one). */
    public int line() {
        return line;
    }

    /** The setting's dotted name ({@code section.key}), or empty when the problem is not one setting's. */
    public String setting() {
        return setting;
    }
}
