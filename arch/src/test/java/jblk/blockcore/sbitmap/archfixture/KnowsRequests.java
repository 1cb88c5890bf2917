package jblk.blockcore.sbitmap.archfixture;

import jblk.blockcore.Request;

/** The sbitmap library naming a blk-mq type, on purpose, for RulesCanFailTest; never imported by the real check. */
public final class KnowsRequests {
    private KnowsRequests() {
    }

    static int tag(Request rq) {
        return rq.tag();
    }
}
