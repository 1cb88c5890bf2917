package jblk.safety;

import java.util.Locale;

/**
 * The cells of issue 11's matrix: what one misuse did under one ownership strategy, as observed by a
 * scenario that ran ({@link OwnershipMatrixTest}).
 */
final class OwnershipMatrix {
    private OwnershipMatrix() {
    }

    /** What a misuse did. */
    enum Cell {
        /** The misuse was refused (or made impossible) and every bio completed exactly once, as meant. */
        REFUSED,
        /** Not refused, but nothing observable went wrong: each bio once, with its status. */
        UNDETECTED,
        /** A bio completed twice or with another issue's status, or blockcore's -ea assertion fired. */
        CORRUPTED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A cell with what was seen, for the table's notes. */
    record Result(Cell cell, String note) {
        static Result of(Cell c, String note) {
            return new Result(c, note);
        }
    }

    /** The misuses, in the table's row order. */
    enum Misuse {
        SEQUENTIAL_DOUBLE_END("sequential double end"),
        RACING_DOUBLE_END("racing double end"),
        STALE_AFTER_REUSE("stale handle after tag reuse"),
        END_WHILE_SHARED("end while shared"),
        END_VS_TIMEOUT("end vs timeout"),
        TAG_TO_RQ_VS_END("tagToRq vs end"),
        USE_AFTER_COMPLETE("use after complete"),
        LEAK_AT_CLOSE("leak at close");

        final String title;

        Misuse(String title) {
            this.title = title;
        }
    }
}
