package dev.economyengine.bench;

import java.util.OptionalDouble;

/**
 * The CPU a measured phase used: the whole benchmark process's, as every figure of the benchmark gives
 * it, and apart from it the part under test's own threads (the worker's, or a passthrough's; see
 * {@link ThreadGroupCpu}) and the broker's (its threads when in-process, its process when a process of
 * its own, unknown when external). Neither part counts the JVM's collector and compiler threads, which
 * work for the whole process; a broker process's figure includes its own.
 *
 * @param ownSeconds the part under test's threads
 * @param brokerSeconds the broker's, empty where the benchmark cannot see it
 */
record CpuSplit(ProcessCpu.Used process, OptionalDouble ownSeconds, OptionalDouble brokerSeconds) {

    /** What a phase reads at its start and its end. */
    record Meters(CpuMeter own, CpuMeter broker) {
        /** Reads the meters now, with the process's reading taken a moment ago. */
        Mark mark(ProcessCpu.Reading process) {
            return new Mark(this, process, own.seconds(), broker.seconds());
        }

        Mark mark() {
            return mark(ProcessCpu.read());
        }
    }

    /** The readings at the start of a phase. */
    record Mark(Meters meters, ProcessCpu.Reading process, OptionalDouble own, OptionalDouble broker) {
        CpuSplit until(ProcessCpu.Reading laterProcess) {
            Mark later = meters.mark(laterProcess);
            return new CpuSplit(process.until(laterProcess), difference(own, later.own),
                    difference(broker, later.broker));
        }

        CpuSplit untilNow() {
            return until(ProcessCpu.read());
        }
    }

    /** CPU microseconds of the part under test's threads per request, where known. */
    OptionalDouble ownMicrosPer(long requests) {
        return micros(ownSeconds, requests);
    }

    /** The broker's CPU microseconds per request, where known. */
    OptionalDouble brokerMicrosPer(long requests) {
        return micros(brokerSeconds, requests);
    }

    private static OptionalDouble micros(OptionalDouble seconds, long requests) {
        return seconds.isPresent() ? OptionalDouble.of(seconds.getAsDouble() * 1e6 / requests) : OptionalDouble.empty();
    }

    private static OptionalDouble difference(OptionalDouble earlier, OptionalDouble later) {
        return earlier.isPresent() && later.isPresent()
                ? OptionalDouble.of(later.getAsDouble() - earlier.getAsDouble())
                : OptionalDouble.empty();
    }
}
