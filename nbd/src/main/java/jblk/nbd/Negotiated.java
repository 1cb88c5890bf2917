package jblk.nbd;

/**
 * What the handshake settled for a connection entering transmission: the export, whether
 * structured replies are on, whether the client asked for no zero padding, and whether
 * base:allocation was selected for this export (so BLOCK_STATUS is allowed).
 */
record Negotiated(NbdExport export, boolean structuredReplies, boolean baseAllocation) {
}
