package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** queueRqs with RqList: pop() issues tokens, requeue() gives a request back, a throw ends what was taken. */
class RqListTest {

    static class BatchDriver extends TestDriver {
        final AtomicInteger batches = new AtomicInteger();
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        final List<RequestRef<Void>> popped = new CopyOnWriteArrayList<>();
        volatile Consumer<RqList<Void>> onBatch = rqs -> {
            RequestRef<Void> rq;
            while ((rq = rqs.pop()) != null) {
                popped.add(rq);
                rq.endOk();
            }
        };

        BatchDriver() {
            onQueueRq = (rq, n) -> {
                rq.endOk();
                return BlkStatus.OK;
            };
        }

        @Override
        public void queueRqs(Void hw, RqList<Void> rqs) {
            batches.incrementAndGet();
            sizes.add(rqs.size());
            onBatch.accept(rqs);
        }
    }

    private static List<Done> plugged(Env env, int n) {
        List<Done> out = new ArrayList<>();
        env.q.startPlug();
        for (int i = 0; i < n; i++) {
            out.add(env.submit(8L * i));
        }
        env.q.finishPlug();
        return out;
    }

    @Test
    void aPluggedBatchGoesThroughQueueRqs() throws Exception {
        BatchDriver d = new BatchDriver();
        try (Env env = Env.builder(d).depth(16).build()) {
            List<Done> bios = plugged(env, 8);
            for (Done b : bios) {
                b.assertOnce(BlkStatus.OK);
            }
            assertEquals(1, d.batches.get());
            assertEquals(List.of(8), d.sizes);
            assertEquals(8, d.popped.size());
            assertEquals(0, d.queueRqCalls.get(), "nothing was left for queueRq");
            env.awaitTagsFree();
        }
    }

    @Test
    void aRequestGivenBackIsIssuedThroughQueueRqWithANewToken() throws Exception {
        BatchDriver d = new BatchDriver();
        List<Boolean> given = new CopyOnWriteArrayList<>();
        d.onBatch = rqs -> {
            RequestRef<Void> first = rqs.pop();
            d.popped.add(first);
            given.add(rqs.requeue(first));
            RequestRef<Void> rq;
            while ((rq = rqs.pop()) != null) {
                rq.endOk();
            }
        };
        try (Env env = Env.builder(d).depth(16).build()) {
            List<Done> bios = plugged(env, 4);
            for (Done b : bios) {
                b.assertOnce(BlkStatus.OK);
            }
            assertEquals(List.of(true), given);
            assertEquals(1, d.queueRqCalls.get(), "the given-back request went through queueRq");
            RequestRef<Void> old = d.popped.get(0);
            RequestRef<Void> reissued = d.take();
            assertEquals(old.tag(), reissued.tag());
            assertTrue(reissued.generation() > old.generation());
            assertEquals(EndOutcome.STALE, old.endOk());
            env.awaitTagsFree();
        }
    }

    @Test
    void givingBackAnEndedRequestIsRefused() throws Exception {
        BatchDriver d = new BatchDriver();
        List<Boolean> given = new CopyOnWriteArrayList<>();
        d.onBatch = rqs -> {
            RequestRef<Void> rq;
            while ((rq = rqs.pop()) != null) {
                rq.endOk();
                given.add(rqs.requeue(rq));
            }
        };
        try (Env env = Env.builder(d).depth(16).build()) {
            List<Done> bios = plugged(env, 3);
            for (Done b : bios) {
                b.assertOnce(BlkStatus.OK);
            }
            assertEquals(List.of(false, false, false), given);
            assertEquals(0, d.queueRqCalls.get());
            assertEquals(3, env.violations().count(Violation.ALREADY_ENDED));
        }
    }

    @ParameterizedTest
    @EnumSource(Ownership.class)
    void aThrowEndsEveryTakenUnendedRequestWithIoerrAndIssuesTheRest(Ownership mode) throws Exception {
        BatchDriver d = new BatchDriver();
        d.onBatch = rqs -> {
            d.popped.add(rqs.pop());
            d.popped.add(rqs.pop());
            throw new IllegalStateException("driver bug in queueRqs");
        };
        try (Env env = Env.builder(d).ownership(mode).depth(16).build()) {
            List<Done> bios = plugged(env, 6);
            // finishPlug has returned: the batch and the one-by-one issue ran in this thread.
            for (Done b : bios.subList(2, 6)) {
                b.assertOnce(BlkStatus.OK);
            }
            assertEquals(4, d.queueRqCalls.get(), "the requests never popped were issued one by one");
            assertEquals(1, env.violations().count(Violation.EXCEPTION));
            assertEquals(1, bios.get(1).calls.get(), "the last popped request was ended");
            assertEquals(BlkStatus.IOERR, bios.get(1).status);
            // RqList.failTaken's contract: every request taken but not ended gets IOERR.
            assertEquals(1, bios.get(0).calls.get(), "the first popped request was ended too (else it is lost)");
            assertEquals(BlkStatus.IOERR, bios.get(0).status);
            assertEquals(0, env.busyTags(), "no tag is left held");
        }
    }
}
