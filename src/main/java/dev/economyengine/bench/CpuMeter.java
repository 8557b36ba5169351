package dev.economyengine.bench;

import java.util.OptionalDouble;

/**
 * The CPU time one part of a run has used so far: the worker's threads, a passthrough's, the broker's.
 * Read at the start and at the end of a measured phase; the difference is what the part used in it.
 */
@FunctionalInterface
interface CpuMeter {
    /** For a part whose CPU the benchmark cannot see, such as a broker on another machine. */
    CpuMeter UNKNOWN = OptionalDouble::empty;

    /** CPU seconds used so far, or empty where it cannot be told. */
    OptionalDouble seconds();
}
