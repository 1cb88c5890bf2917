package jblk.blockcore;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a pad class between two {@link CachelineGroup}s, the one pad convention of the project (as
 * JCTools' {@code L1Pad}/{@code L2Pad} and the Disruptor's {@code LhsPadding}/{@code RhsPadding}):
 * exactly {@link #BYTES} one-byte fields and nothing else. One-byte fields, because HotSpot (JDK
 * 15+) fills holes left in a superclass with a subclass's fields: a pad made of bytes fills every
 * hole first, so no later field can slip in front of it; one letter per pad of a class chain
 * ({@code b000}, {@code c000}, ...), so no pad hides another's fields; 128 bytes, a line and its
 * adjacent-line-prefetch pair.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CachelinePad {
    /** The pad size: a 64-byte line and its prefetch pair. */
    int BYTES = 128;
}
