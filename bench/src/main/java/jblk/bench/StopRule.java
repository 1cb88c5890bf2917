package jblk.bench;

/**
 * When {@code ./jblk compare} stops running rounds: once every interval it reports on is narrower
 * than {@code --precision} (after the minimum number of worker sets, so JVM-to-JVM differences are
 * in the interval), or when the next set of workers would not finish within {@code --max-time}.
 * The reason is part of the answer: "inconclusive" is only ever said when time ended the run.
 */
final class StopRule {
    /** Why the run ended, or that it goes on. */
    enum Outcome {
        CONTINUE(""),
        PRECISION("every interval reached the precision asked for"),
        MAX_TIME("--max-time ended the run before every interval reached the precision asked for");

        final String text;

        Outcome(String text) {
            this.text = text;
        }
    }

    final double precisionPts;
    final double maxTimeS;
    final int minSets;

    StopRule(double precisionPts, double maxTimeS, int minSets) {
        this.precisionPts = precisionPts;
        this.maxTimeS = maxTimeS;
        this.minSets = minSets;
    }

    /**
     * @param sets          worker sets run so far (for the slowest workload still running)
     * @param widestHalfPts the widest interval's half-width, in percentage points
     * @param elapsedS      seconds since the run started
     * @param nextSetS      what one more set of workers is expected to take
     */
    Outcome decide(int sets, double widestHalfPts, double elapsedS, double nextSetS) {
        if (sets >= minSets && widestHalfPts <= precisionPts) {
            return Outcome.PRECISION;
        }
        if (sets >= 1 && elapsedS + nextSetS > maxTimeS) {
            return Outcome.MAX_TIME;
        }
        return Outcome.CONTINUE;
    }
}
