package jblk.blockcore;

/** Models {@code enum blk_eh_timer_return}: what a driver's timeout handler tells the block layer. */
public enum EhTimerReturn {
    /** The driver has dealt with the request (it ended it, or will end it). */
    DONE,
    /** Give the request another full timeout period (the timer is re-armed, TIMED_OUT cleared). */
    RESET_TIMER
}
