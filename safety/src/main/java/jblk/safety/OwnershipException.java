package jblk.safety;

/** Thrown by {@link RequestRef#endOrThrow} when the end is refused; the refusal changed nothing. */
public final class OwnershipException extends IllegalStateException {
    private final EndOutcome outcome;

    public OwnershipException(EndOutcome outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    public EndOutcome outcome() {
        return outcome;
    }
}
