package jblk.arch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import jblk.blockcore.archfixture.ImportsUpward;
import jblk.nullblk.NullBlk;
import jblk.nullblk.archfixture.UsesSpi;
import jblk.blockcore.sbitmap.archfixture.KnowsRequests;
import jblk.testkit.archfixture.UsesRaceAccess;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ModuleRules} fails on a class that breaks it: the fixtures (this module's test
 * classes, in the packages they pretend to belong to) do what the module-info files forbid, which
 * javac lets through here because this module is on the class path.
 */
class RulesCanFailTest {
    private static void assertCaught(ArchRule rule, String culprit, Class<?>... fixtures) {
        JavaClasses classes = new ClassFileImporter().importClasses(fixtures);
        EvaluationResult r = rule.evaluate(classes);
        assertTrue(r.hasViolation(), "the rule let the fixture through: " + rule.getDescription());
        String report = r.getFailureReport().toString();
        assertTrue(report.contains(culprit), "the report names " + culprit + ":\n" + report);
    }

    @Test
    void layeringCatchesBlockcoreNamingNullblk() {
        // The layer rule looks at who accesses nullblk's classes, so NullBlk is imported too; the
        // other layers stay empty, which only the real check refuses.
        assertCaught(ModuleRules.layering().withOptionalLayers(true), ImportsUpward.class.getName(),
                ImportsUpward.class, NullBlk.class);
    }

    @Test
    void spiRuleCatchesARawDriver() {
        assertCaught(ModuleRules.SPI_USERS, UsesSpi.class.getName(), UsesSpi.class);
    }

    @Test
    void raceAccessRuleCatchesTestkit() {
        assertCaught(ModuleRules.RACE_ACCESS_USERS, UsesRaceAccess.class.getName(), UsesRaceAccess.class);
    }

    @Test
    void sbitmapRuleCatchesABlockcoreType() {
        assertCaught(ModuleRules.SBITMAP_IS_A_LIBRARY, KnowsRequests.class.getName(), KnowsRequests.class);
    }

    @Test
    void ownPackagesCatchesAClassOutsideItsModule() {
        // The fixture's class file is in this module's test-classes, which owns no jblk package.
        assertCaught(ModuleRules.OWN_PACKAGES, "does not own package jblk.blockcore.archfixture", ImportsUpward.class);
    }

    @Test
    void ownPackagesAcceptsAModulesOwnClass() {
        JavaClasses own = new ClassFileImporter().importPath(JblkModules.classesOf("nullblk"));
        assertFalse(ModuleRules.OWN_PACKAGES.evaluate(own).hasViolation(), "nullblk's own classes pass");
    }
}
