package dev.economyengine.app;

import java.time.Duration;
import java.util.List;

/**
 * How a shutdown ended: complete, or with the parts still running when its deadline passed.
 *
 * @param stillRunning in words, such as "worker lane 0 (committing a batch)"; empty when complete
 */
public record ShutdownReport(Duration deadline, List<String> stillRunning) {
    public ShutdownReport {
        stillRunning = List.copyOf(stillRunning);
    }

    public boolean complete() {
        return stillRunning.isEmpty();
    }

    /** "shutdown deadline of 30 s passed; still running: worker lane 0 (committing a batch), embedded broker" */
    public String message() {
        if (complete()) {
            return "shut down within the deadline of " + describe(deadline);
        }
        return "shutdown deadline of " + describe(deadline) + " passed; still running: "
                + String.join(", ", stillRunning);
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
