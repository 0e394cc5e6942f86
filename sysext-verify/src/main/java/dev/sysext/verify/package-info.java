/**
 * Checks of sysext images. Everything {@code sysext check} and {@code sysext verify [--rebuild]}
 * report comes from here; the commands only print it.
 *
 * <pre>{@code
 * ImageVerification v = ImageVerification.of(image);           // structure + build manifest
 * if (!v.sound()) { System.out.println("damaged: " + v.damage().get()); }
 * Rebuild.Result r = new Rebuild(upstream, RecipeCatalog.load())
 *         .run(image, v.manifest().orElseThrow(), workDirectory, 4);
 * System.out.println(r.identical() ? "reproducible" : "differs at " + r.firstDifference());
 * }</pre>
 */
package dev.sysext.verify;
