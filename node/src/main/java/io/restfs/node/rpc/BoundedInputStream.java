package io.restfs.node.rpc;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body and stops with {@link TooLarge} as soon as it runs past a limit, whatever the headers said. */
final class BoundedInputStream extends FilterInputStream {
    /** The body ran past the limit; what was read so far is dropped. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("the request body is larger than " + limit + " bytes", null);
        }
    }

    private final long limit;
    private long count;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        counted(s);
        return s;
    }

    private void counted(long n) throws TooLarge {
        count += n;
        if (count > limit) {
            throw new TooLarge(limit);
        }
    }
}
