/** testkit: runs any driver's {@code Operations} through jblk's checks (from JUnit or the CLI). */
module jblk.testkit {
    requires transitive jblk.safety;
    requires transitive org.junit.jupiter.api; // DriverKitTest: a JUnit base class for drivers' tests

    exports jblk.testkit;
}
