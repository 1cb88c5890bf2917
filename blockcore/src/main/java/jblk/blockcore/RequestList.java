package jblk.blockcore;

/**
 * Models {@code struct rq_list} / a {@code list_head} of requests: an intrusive FIFO through the
 * request's own link field, so queueing a request allocates nothing. A request is on at most one
 * block-layer list at a time. Not thread-safe: the owner (a plug, or the holder of a lock) uses it.
 */
public final class RequestList {
    private Request head;
    private Request tail;
    private int size;

    /** An empty list ({@code INIT_LIST_HEAD}). */
    public RequestList() {
    }

    public boolean isEmpty() {
        return head == null;
    }

    public int size() {
        return size;
    }

    public Request peek() {
        return head;
    }

    /** {@code rq_list_add_tail}. */
    public void add(Request rq) {
        rq.next = null;
        if (tail == null) {
            head = rq;
        } else {
            tail.next = rq;
        }
        tail = rq;
        size++;
    }

    /** Adds at the head (requeued and BUSY-returned requests go first). */
    public void addFirst(Request rq) {
        rq.next = head;
        head = rq;
        if (tail == null) {
            tail = rq;
        }
        size++;
    }

    /** {@code rq_list_pop}: removes and returns the head, or null. */
    public Request poll() {
        Request rq = head;
        if (rq != null) {
            head = rq.next;
            if (head == null) {
                tail = null;
            }
            rq.next = null;
            size--;
        }
        return rq;
    }

    /** Moves every request of {@code other} to the end of this list; {@code other} ends up empty. */
    public void addAll(RequestList other) {
        if (other.head == null) {
            return;
        }
        if (tail == null) {
            head = other.head;
        } else {
            tail.next = other.head;
        }
        tail = other.tail;
        size += other.size;
        other.clear();
    }

    /** Moves every request of {@code other} in front of this list's; {@code other} ends up empty. */
    public void addAllFirst(RequestList other) {
        if (other.head == null) {
            return;
        }
        other.tail.next = head;
        head = other.head;
        if (tail == null) {
            tail = other.tail;
        }
        size += other.size;
        other.clear();
    }

    /** Removes {@code rq} if present (linear; slow paths only). */
    public boolean remove(Request rq) {
        Request prev = null;
        for (Request r = head; r != null; prev = r, r = r.next) {
            if (r == rq) {
                if (prev == null) {
                    head = r.next;
                } else {
                    prev.next = r.next;
                }
                if (tail == r) {
                    tail = prev;
                }
                r.next = null;
                size--;
                return true;
            }
        }
        return false;
    }

    public void clear() {
        head = null;
        tail = null;
        size = 0;
    }

    /** Calls {@code action} for each request, head first (the list must not change meanwhile). */
    public void forEach(java.util.function.Consumer<Request> action) {
        for (Request r = head; r != null; r = r.next) {
            action.accept(r);
        }
    }
}
