package jblk.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The completion handoff (blk-mq's {@code llist_add} / {@code llist_del_all} between a submitter
 * and the softirq context; bench's CompletionStack; nbd's SlotStack) against JCTools' MPSC queues.
 *
 * <p>What is compared: {@code inflight} preallocated nodes (a queue depth of requests) are handed
 * over and completed, each marked free again. llist is LIFO: {@code takeAll} detaches the whole
 * batch with one exchange and reverses it to arrival order (what CompletionThread does); a queue
 * hands over FIFO, element by element ({@code drain}), and needs no link field in the node. The
 * score is nanoseconds per batch; divide by {@code inflight} for one handoff.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompletionListBench {
    /** Nodes in flight at most (a queue depth). */
    @Param({"32"})
    public int inflight;

    /** llist: the intrusive LIFO list; mpscArray / mpscXadd: JCTools' bounded and unbounded MPSC queues. */
    @Param({"llist", "mpscArray", "mpscXadd"})
    public String list;

    Node[] nodes;
    Handoff handoff;

    /** A request: the llist link and whether the consumer has handed it back. */
    static final class Node {
        Node next;
        volatile boolean free = true;
    }

    interface Handoff {
        void push(Node n);

        /** Takes what is there, marks each node free; returns how many. */
        int drain();
    }

    /** CompletionThread's llist: CAS push, exchange to take all, reverse to arrival order. */
    static final class Llist implements Handoff {
        private final AtomicReference<Node> head = new AtomicReference<>();

        @Override
        public void push(Node n) {
            Node h;
            do {
                h = head.get();
                n.next = h;
            } while (!head.compareAndSet(h, n));
        }

        @Override
        public int drain() {
            if (head.get() == null) {
                return 0;
            }
            Node list = head.getAndSet(null);
            Node rev = null;
            while (list != null) {
                Node next = list.next;
                list.next = rev;
                rev = list;
                list = next;
            }
            int n = 0;
            while (rev != null) {
                Node next = rev.next;
                rev.next = null;
                rev.free = true;
                rev = next;
                n++;
            }
            return n;
        }
    }

    /** A JCTools queue: offer, and a drain that hands each element to the consumer. */
    static final class Jctools implements Handoff, MessagePassingQueue.Consumer<Node> {
        private final MessagePassingQueue<Node> q;
        private int drained;

        Jctools(MessagePassingQueue<Node> q) {
            this.q = q;
        }

        @Override
        public void push(Node n) {
            while (!q.offer(n)) {
                Thread.onSpinWait(); // never: at most inflight nodes exist and capacity >= inflight
            }
        }

        @Override
        public int drain() {
            drained = 0;
            q.drain(this);
            return drained;
        }

        @Override
        public void accept(Node n) {
            n.free = true;
            drained++;
        }
    }

    @Setup
    public void setup() {
        nodes = new Node[inflight];
        for (int i = 0; i < inflight; i++) {
            nodes[i] = new Node();
        }
        switch (list) {
            case "llist" -> handoff = new Llist();
            case "mpscArray" -> handoff = new Jctools(new MpscArrayQueue<>(inflight));
            case "mpscXadd" -> handoff = new Jctools(new MpscUnboundedXaddArrayQueue<>(inflight, 2));
            default -> throw new IllegalArgumentException("list=" + list + ": llist, mpscArray or mpscXadd");
        }
    }

    /**
     * One batch: push {@code inflight} nodes, then take and complete them all, on one thread. This
     * is the instruction cost of both sides without the line transfer between cores: on a machine
     * shared with other busy processes a two-thread handoff measures the scheduler more than the
     * structure (tried here: the producer mostly waited for a descheduled consumer).
     */
    @Benchmark
    public int batch() {
        Node[] ns = nodes;
        for (Node n : ns) {
            n.free = false;
            handoff.push(n);
        }
        return handoff.drain();
    }
}
