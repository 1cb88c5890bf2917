package jblk.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Optional;

/**
 * The module graph's rules (docs/CONCURRENCY.md and DESIGN.md name them): one place, so the check
 * of the real classes ({@link ModuleRulesTest}) and the proof that each rule can fail ({@link
 * RulesCanFailTest}) use the same rules.
 */
final class ModuleRules {
    private ModuleRules() {
    }

    /**
     * blockcore <- safety <- testkit/nullblk <- bench/stress/nbd, and the json leaf used by bench and
     * nbd: nothing depends upward. Every layer
     * must have classes (an empty one means the import missed a module).
     */
    static final ArchRule LAYERING = layering()
            .because("dependencies point one way: blockcore <- safety <- testkit/nullblk <- bench, stress, nbd");

    static LayeredArchitecture layering() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("blockcore").definedBy("jblk.blockcore..")
                .layer("safety").definedBy("jblk.safety..")
                .layer("testkit").definedBy("jblk.testkit..")
                .layer("json").definedBy("jblk.json..")
                .layer("nullblk").definedBy("jblk.nullblk..")
                .layer("bench").definedBy("jblk.bench..")
                .layer("stress").definedBy("jblk.stress..")
                .layer("nbd").definedBy("jblk.nbd..")
                .whereLayer("safety").mayOnlyBeAccessedByLayers("testkit", "nullblk", "bench", "stress", "nbd")
                .whereLayer("testkit").mayOnlyBeAccessedByLayers("stress")
                .whereLayer("json").mayOnlyBeAccessedByLayers("bench", "nbd")
                .whereLayer("nullblk").mayOnlyBeAccessedByLayers("bench", "stress", "nbd")
                .whereLayer("bench").mayNotBeAccessedByAnyLayer()
                .whereLayer("stress").mayNotBeAccessedByAnyLayer()
                .whereLayer("nbd").mayNotBeAccessedByAnyLayer();
    }

    /** sbitmap is a library under blockcore (lib/sbitmap.c): it knows nothing of requests. */
    static final ArchRule SBITMAP_IS_A_LIBRARY = noClasses().that().resideInAPackage("jblk.blockcore.sbitmap..")
            .should().dependOnClassesThat().resideInAnyPackage("jblk.blockcore", "jblk.blockcore.spi")
            .because("lib/sbitmap.c is a kernel library blk-mq uses, not part of blk-mq");

    /** Only the binding (safety) and the race tests (stress) use the binding SPI. */
    static final ArchRule SPI_USERS = noClasses()
            .that().resideOutsideOfPackages("jblk.blockcore..", "jblk.safety..", "jblk.stress..")
            .should().dependOnClassesThat().resideInAPackage("jblk.blockcore.spi..")
            .because("the binding SPI is pub(crate): a raw driver keeps to the C API (BlkMq, Request)");

    /** Only the race tests use safety's race door. */
    static final ArchRule RACE_ACCESS_USERS = noClasses()
            .that().resideOutsideOfPackages("jblk.safety..", "jblk.stress..")
            .should().dependOnClassesThat().resideInAPackage("jblk.safety.race..")
            .because("safety's internals are open to stress's race tests alone");

    /** No split packages: a class lives in a package its own module owns. */
    static final ArchRule OWN_PACKAGES = classes().should(new ArchCondition<>("live in a package of their own module") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
            Optional<String> module = JblkModules.moduleOf(c);
            boolean ok = module.isPresent() && JblkModules.owns(module.get(), c.getPackageName());
            String where = module.map(m -> "module " + m)
                    .orElse("no jblk module (" + c.getSource().map(s -> s.getUri().toString()).orElse("?") + ")");
            String allowed = module.map(JblkModules.PACKAGES::get).map(Object::toString).orElse("none");
            events.add(new SimpleConditionEvent(c, ok, c.getName() + " is in " + where
                    + ", which does not own package " + c.getPackageName() + "; allowed: " + allowed));
        }
    });
}
