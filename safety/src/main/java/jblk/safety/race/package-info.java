/**
 * The binding's internals as stress's race tests stage them ({@link jblk.safety.race.RaceAccess});
 * exported by safety's module-info to jblk.stress alone, never to a driver.
 */
package jblk.safety.race;
