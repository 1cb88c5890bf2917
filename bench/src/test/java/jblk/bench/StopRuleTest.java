package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When the rounds stop: precision after the minimum sets, or the time limit, and which one. */
class StopRuleTest {
    private final StopRule rule = new StopRule(0.5, 100, 2);

    @Test
    void precisionEndsOnlyAfterTheMinimumSets() {
        assertEquals(StopRule.Outcome.CONTINUE, rule.decide(0, Double.POSITIVE_INFINITY, 0, 0));
        assertEquals(StopRule.Outcome.CONTINUE, rule.decide(1, 0.1, 10, 10), "narrow, but one set of JVMs only");
        assertEquals(StopRule.Outcome.PRECISION, rule.decide(2, 0.5, 20, 10));
        assertEquals(StopRule.Outcome.CONTINUE, rule.decide(2, 0.51, 20, 10));
    }

    @Test
    void theTimeLimitEndsWhenTheNextSetWouldNotFit() {
        assertEquals(StopRule.Outcome.CONTINUE, rule.decide(2, 3, 80, 20), "80 + 20 fits in 100");
        assertEquals(StopRule.Outcome.MAX_TIME, rule.decide(2, 3, 81, 20));
        assertEquals(StopRule.Outcome.CONTINUE, rule.decide(0, 3, 500, 20), "every workload runs one set");
        assertEquals(StopRule.Outcome.PRECISION, rule.decide(3, 0.2, 500, 20), "precision reached is said first");
    }
}
