package jblk.blockcore;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Models the kernel's {@code __cacheline_group_begin(name)} / {@code __cacheline_group_end(name)}
 * (include/linux/cache.h): the instance fields the annotated class declares form one cache-line
 * group. Groups are separated by {@link CachelinePad} classes in the inheritance chain (HotSpot lays
 * a superclass's fields before a subclass's, so a chain fixes the order), and the layout test
 * checks what {@code CACHELINE_ASSERT_GROUP_MEMBER} checks in C: each group's fields share cache
 * lines only with their own group. {@code ./jblk layout} prints the result.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CachelineGroup {
    /** The group's name, as in {@code __cacheline_group_begin(name)}. */
    String value();

    /**
     * Who writes the group's fields while I/O flows; empty for a read-mostly group (written when
     * the object is built or reconfigured). A writer group also keeps a line's distance from the
     * object's ends, so a neighbouring object never shares its lines.
     */
    String writer() default "";
}
