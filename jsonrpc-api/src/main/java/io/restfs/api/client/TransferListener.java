package io.restfs.api.client;

/** Told how far an upload or download has got; called from the transferring thread, so keep it quick. */
@FunctionalInterface
public interface TransferListener {
    TransferListener NONE = (done, total) -> {
    };

    /**
     * @param bytesDone  bytes sent or received so far
     * @param totalBytes the whole transfer's size, or -1 when the node did not say
     */
    void progress(long bytesDone, long totalBytes);
}
