package jblk.nullblk;

import jblk.blockcore.BlkStatus;

/**
 * Models {@code struct nullb_cmd}: null_blk's per-request data (the PDU), built once per tag. It
 * carries the status the request will end with (so the completion path, which may run on another
 * thread, knows it) and whether the request was picked to time out.
 */
public final class NullCmd {
    /** {@code cmd->error}: written before the request is handed to the completion context. */
    BlkStatus error = BlkStatus.OK;
    /** {@code cmd->fake_timeout}: this request never completes; the timeout handler ends it. */
    boolean fakeTimeout;
    /** Bytes transferred before a bad block (badblocks_partial_io), or -1. */
    int partialBytes = -1;
    /** Where a ZONE_APPEND wrote (the driver sets {@code rq->__sector} from it), or -1. */
    long appendSector = -1;

    /** A fresh PDU ({@code init_request}): status OK, no fake timeout, no partial transfer. */
    public NullCmd() {
    }

    public BlkStatus error() {
        return error;
    }

    /**
     * Ready for a new request. Written only where the value differs: the completing thread reads
     * {@code error}, and an unneeded write would pull the line back from its core every request.
     */
    void reset() {
        if (error != BlkStatus.OK) {
            error = BlkStatus.OK;
        }
        if (partialBytes != -1) {
            partialBytes = -1;
        }
        if (fakeTimeout) {
            fakeTimeout = false;
        }
        if (appendSector != -1) {
            appendSector = -1;
        }
    }

    void setError(BlkStatus st) {
        if (error != st) {
            error = st;
        }
    }
}
