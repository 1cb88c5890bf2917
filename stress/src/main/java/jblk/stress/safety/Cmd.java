package jblk.stress.safety;

import jblk.blockcore.BlkStatus;

/** The capture driver's per-request data (its PDU): the status its complete callback ends with. */
public final class Cmd {
    /** Written by the completing thread before {@link RequestRef#complete()}, read by the softirq thread. */
    BlkStatus status = BlkStatus.OK;
}
