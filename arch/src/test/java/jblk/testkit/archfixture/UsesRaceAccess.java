package jblk.testkit.archfixture;

import jblk.blockcore.Request;
import jblk.safety.RequestRef;
import jblk.safety.race.RaceAccess;

/** Outside stress, using safety's race door on purpose, for RulesCanFailTest; never imported by the real check. */
public final class UsesRaceAccess {
    private UsesRaceAccess() {
    }

    static Request raw(RequestRef<?> ref) {
        return RaceAccess.requestOf(ref);
    }
}
