package jblk.arch;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module graph's rules, checked on every module's main classes ({@code mvn -B verify}). */
@AnalyzeClasses(locations = JblkModules.class)
class ModuleRulesTest {
    @ArchTest
    static final ArchRule layering = ModuleRules.LAYERING;

    @ArchTest
    static final ArchRule sbitmapIsALibrary = ModuleRules.SBITMAP_IS_A_LIBRARY;

    @ArchTest
    static final ArchRule onlySafetyAndStressUseTheSpi = ModuleRules.SPI_USERS;

    @ArchTest
    static final ArchRule onlyStressUsesRaceAccess = ModuleRules.RACE_ACCESS_USERS;

    @ArchTest
    static final ArchRule noClassInAnotherModulesPackage = ModuleRules.OWN_PACKAGES;
}
