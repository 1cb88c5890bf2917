package jblk.testkit;

import jblk.safety.Operations;

/**
 * Builds a fresh instance of the driver under test, as a module's {@code probe} would: the kit calls
 * it once per pass with the disk size it will use. If the returned object is also
 * {@link AutoCloseable}, the kit closes it after the disk and tag set are closed.
 */
@FunctionalInterface
public interface DriverFactory {
    Operations<?, ?> create(long capacityBytes) throws Exception;
}
