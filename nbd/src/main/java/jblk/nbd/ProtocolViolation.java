package jblk.nbd;

import java.io.IOException;

/**
 * A client broke the protocol in a way that leaves the stream unusable (a wrong magic, unexpected
 * client flags, an oversized option, too many options): the server hard-disconnects, as the NBD
 * spec allows for MUST violations, and logs this message.
 */
public final class ProtocolViolation extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolation(String message) {
        super(message);
    }
}
