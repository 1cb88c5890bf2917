package jblk.safety;

/**
 * The Rust token's own atomic ({@code RequestDataWrapper::refcount} in {@code request.rs}), and every
 * transition of it, in one place, as {@link OwnershipWord} is for the state word. Mainline reading
 * (REFCOUNT): 0 = owned by the block layer, 1 = owned by the driver with no {@code ARef}, 2 = one
 * {@code ARef}, more = shared. The 2026 series' reading (OWNED's shared form): 0 = owned by the
 * block layer or uniquely by the driver ({@code Owned}), 1 = owned, unreferenced, 2+ = ARefs.
 *
 * <p>Every RMW here is a volatile CAS or get-and-add; each pairs with the others on the same count
 * (one total order decides end vs end, end vs share, lookup vs end). The issue store is a release
 * store: no handle of the issue exists yet.
 */
final class RefcountWord {
    /** One for the ARef, one for being in flight ({@code queue_rq_callback}). */
    static final int ISSUED = 2;

    private RefcountWord() {
    }

    /** queueRq: {@code refcount = 2} before the handle escapes. */
    static void issue(RequestData<?> w) {
        w.soRefcount(ISSUED);
    }

    /** {@code try_set_end} / {@code try_from_shared}: CAS 2 -> 0; the witness on failure, else 2. */
    static int trySetEnd(RequestData<?> w) {
        return w.caeRefcount(ISSUED, 0);
    }

    /** {@code inc_ref} as mainline's tag_to_rq needs it: +1 unless 0; false when it was 0. */
    static boolean incNotZero(RequestData<?> w) {
        return incAtLeast(w, 1);
    }

    /** +1 when the count is at least {@code min}; false (nothing changed) otherwise. */
    private static boolean incAtLeast(RequestData<?> w, int min) {
        int c = w.lvRefcount();
        while (c >= min) {
            int seen = w.caeRefcount(c, c + 1);
            if (seen == c) {
                return true;
            }
            c = seen;
        }
        return false;
    }

    /** {@code dec_ref}: -1 unless 0 (an ended request's references died with it); false when 0. */
    static boolean decNotZero(RequestData<?> w) {
        int c = w.lvRefcount();
        while (c > 0) {
            int seen = w.caeRefcount(c, c - 1);
            if (seen == c) {
                return true;
            }
            c = seen;
        }
        return false;
    }

    /** Drops every reference (close, or a queueRq that returned an error): true if there were any. */
    static boolean revoke(RequestData<?> w) {
        int c = w.lvRefcount();
        while (c != 0) {
            int seen = w.caeRefcount(c, 0);
            if (seen == c) {
                return true;
            }
            c = seen;
        }
        return false;
    }

    /** OWNED: {@code into_shared}: {@code fetch_add(2)}; plus {@code extra} clones at once. */
    static void intoShared(RequestData<?> w, int extra) {
        int old = w.getAndAddRefcount(ISSUED + extra);
        assert old == 0 : "into_shared of a request that was not uniquely owned: count " + old;
    }

    /** OWNED: {@code Ownable::release} of an unended {@code Owned}: 0 -> 1 (owned, unreferenced). */
    static void ownableRelease(RequestData<?> w) {
        w.getAndAddRefcount(1);
    }

    /** OWNED's {@code tag_to_rq}: +1 while the driver owns it without an {@code Owned} (count >= 1). */
    static boolean lookupShared(RequestData<?> w) {
        return incAtLeast(w, 1);
    }
}
