package jblk.nullblk.archfixture;

import jblk.blockcore.Request;
import jblk.blockcore.spi.RequestWord;

/** A raw driver reaching into the binding SPI, on purpose, for RulesCanFailTest; never imported by the real check. */
public final class UsesSpi {
    private UsesSpi() {
    }

    static long peek(Request rq) {
        return RequestWord.lvWord(rq);
    }
}
