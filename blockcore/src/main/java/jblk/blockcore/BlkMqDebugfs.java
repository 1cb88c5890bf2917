package jblk.blockcore;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jblk.blockcore.sbitmap.SBitmapQueue;

/**
 * Models block/blk-mq-debugfs.c: the text of /sys/kernel/debug/block/&lt;disk&gt;/ for one disk, in
 * the kernel's formats (hctx state flags, per-request lines for dispatch and busy, the tags dump).
 */
final class BlkMqDebugfs {
    private static final String[] HCTX_STATE = {"STOPPED", "TAG_ACTIVE", "SCHED_RESTART", "INACTIVE"};

    private BlkMqDebugfs() {
    }

    static Map<String, String> render(RequestQueue q) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("state", queueState(q));
        m.put("freeze_depth", q.freezeDepth + "\n");
        m.put("requeue_list", requests(q, q.requeueSnapshot()));
        Elevator e = q.elevator;
        if (e != null) {
            for (Map.Entry<String, String> f : e.debugfs().entrySet()) {
                m.put("sched/" + f.getKey(), f.getValue()); // the scheduler's queue attrs
            }
        }
        for (HwQueue h : q.hctxs) {
            String d = "hctx" + h.queueNum + "/";
            m.put(d + "state", flags(h.state(), HCTX_STATE));
            m.put(d + "type", h.type.name().toLowerCase(Locale.ROOT) + "\n");
            m.put(d + "dispatch", requests(q, h.dispatchSnapshot()));
            m.put(d + "busy", busy(q, h));
            m.put(d + "tags", tags(h));
            m.put(d + "active", h.share.nrActive.get() + "\n");
            m.put(d + "run", h.runs.get() + "\n");
            m.put(d + "busy_returns", h.busyReturns.get() + "\n");
            m.put(d + "dev_resource_stalls", h.devResourceStalls.get() + "\n");
            m.put(d + "dispatch_busy", h.dispatchBusy() + "\n");
            SchedTags st = h.schedTags;
            if (st != null) {
                m.put(d + "sched_tags", "nr_tags=" + st.nrRequests + "\nbusy=" + st.busy() + "\n");
            }
            for (SwQueue c : h.ctxs) {
                // blk_mq_debugfs_register_ctx: hctxN/cpuM/{default,read,poll}_rq_list
                for (HctxType t : HctxType.VALUES) {
                    m.put(d + "cpu" + c.index + "/" + t.name().toLowerCase(Locale.ROOT) + "_rq_list",
                            requests(q, c.pendingSnapshot(t)));
                }
            }
        }
        return m;
    }

    private static String queueState(RequestQueue q) {
        StringBuilder sb = new StringBuilder();
        if (q.isQuiesced()) {
            sb.append("QUIESCED");
        }
        if (q.freezeDepth != 0) {
            sb.append(sb.length() > 0 ? "|" : "").append("FROZEN");
        }
        if (q.dying) {
            sb.append(sb.length() > 0 ? "|" : "").append("DYING");
        }
        return sb.append('\n').toString();
    }

    /** {@code blk_flags_show}: set bits by name, '|'-joined. */
    static String flags(int bits, String[] names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            if ((bits & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(i < names.length ? names[i] : Integer.toString(i));
            }
        }
        return sb.append('\n').toString();
    }

    static String requests(RequestQueue q, Request[] rqs) {
        StringBuilder sb = new StringBuilder();
        for (Request r : rqs) {
            line(sb, q, r);
        }
        return sb.toString();
    }

    /** Started requests of this hctx ({@code hctx_show_busy_rq}). */
    private static String busy(RequestQueue q, HwQueue h) {
        StringBuilder sb = new StringBuilder();
        for (Request r : q.allocatedRequests()) {
            if (r.hctx == h && RequestState.state(r.lvWord()) != RequestState.IDLE) {
                line(sb, q, r);
            }
        }
        return sb.toString();
    }

    /** {@code __blk_mq_debugfs_rq_show}. */
    private static void line(StringBuilder sb, RequestQueue q, Request r) {
        long w = r.lvWord();
        sb.append(String.format("%08x", System.identityHashCode(r)))
                .append(" {.op=").append(r.op)
                .append(", .cmd_flags=").append(ReqFlags.toString(r.cmdFlags))
                .append(", .state=").append(RequestState.stateName(RequestState.state(w)))
                .append(", .tag=").append(r.tag)
                .append(", .internal_tag=").append(r.schedTag)
                .append(", .sector=").append(r.sector)
                .append(", .bytes=").append(r.nrBytes)
                .append(", .gen=").append(RequestState.generation(w));
        if (RequestState.timedOut(w)) {
            sb.append(", .rq_flags=TIMED_OUT");
        }
        if (q.set.hasShowRq) {
            try {
                sb.append(", ").append(q.set.ops.showRq(r));
            } catch (RuntimeException e) {
                sb.append(", show_rq failed: ").append(e);
            }
        }
        sb.append("}\n");
    }

    /** {@code blk_mq_debugfs_tags_show}. */
    private static String tags(HwQueue h) {
        Tags t = h.tags;
        StringBuilder sb = new StringBuilder();
        sb.append("nr_tags=").append(t.nrTags).append('\n');
        sb.append("nr_reserved_tags=").append(t.nrReservedTags).append('\n');
        sb.append("active_queues=").append(t.activeQueues.get()).append('\n');
        sb.append('\n').append("bitmap_tags:\n");
        sbitmap(sb, t.bitmapTags, h);
        if (t.nrReservedTags > 0) {
            sb.append('\n').append("breserved_tags:\n");
            sbitmap(sb, t.breservedTags, h);
        }
        return sb.toString();
    }

    private static void sbitmap(StringBuilder sb, SBitmapQueue bt, HwQueue h) {
        sb.append("depth=").append(bt.depth()).append('\n');
        sb.append("busy=").append(bt.weight()).append('\n');
        sb.append("cleared=").append(bt.cleared()).append('\n');
        sb.append("bits_per_word=").append(bt.bitsPerWord()).append('\n');
        sb.append("map_nr=").append(bt.mapNr()).append('\n');
        sb.append("alloc_hint={");
        SwQueue[] cs = h.ctxs;
        for (int i = 0; i < cs.length; i++) {
            sb.append(i > 0 ? ", " : "").append(cs[i].hints[h.type.ordinal()]);
        }
        sb.append("}\n");
        sb.append("ws_active=").append(bt.waiterCount()).append('\n');
        sb.append("round_robin=0\n");
    }
}
