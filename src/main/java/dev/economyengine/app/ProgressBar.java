package dev.economyengine.app;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Progress of long work on stderr: done/total, percent, rate and ETA. On a terminal it redraws one
 * line in place with {@code \r}; elsewhere (a log file, a CI job) it prints a plain line every
 * {@value #PLAIN_EVERY_SECONDS} s or when a quarter of the work is passed, so that logs stay short.
 * Nothing is printed for work that ends within the initial delay: quick runs stay quiet.
 * Not thread-safe: one thread reports.
 */
final class ProgressBar {
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(2);
    private static final int PLAIN_EVERY_SECONDS = 5;
    private static final long REDRAW_EVERY_MILLIS = 100;
    private static final int BAR_WIDTH = 24;

    private final String label;
    private final long total;
    private final PrintStream err;
    private final boolean terminal;
    private final Clock clock;
    private final long startMillis;
    private final long delayMillis;
    private long done;
    private long lastShownMillis;
    private int lastQuarter;
    private long lastDonePrinted = -1;
    private int lastWidth;
    private boolean shown;
    private boolean cleared;
    private boolean finished;

    ProgressBar(String label, long total, PrintStream err, boolean terminal, Clock clock, Duration delay) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative, was " + total);
        }
        this.label = Objects.requireNonNull(label, "label");
        this.total = total;
        this.err = Objects.requireNonNull(err, "err");
        this.terminal = terminal;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.delayMillis = delay.toMillis();
        this.startMillis = clock.millis();
    }

    /** On the process's stderr, redrawn in place when stderr is a terminal. */
    static ProgressBar onStderr(String label, long total, PrintStream err) {
        return new ProgressBar(label, total, err, System.console() != null, Clock.systemUTC(), DEFAULT_DELAY);
    }

    void advance(long count) {
        update(done + count);
    }

    /** Sets how much is done (clamped to 0..total) and shows it if it is time to. */
    void update(long nowDone) {
        done = Math.max(0, Math.min(total, nowDone));
        long now = clock.millis();
        if (now - startMillis < delayMillis) {
            return;
        }
        if (terminal) {
            if (!shown || cleared || now - lastShownMillis >= REDRAW_EVERY_MILLIS) {
                redraw(now);
            }
        } else {
            int quarter = quarter();
            if (!shown || quarter > lastQuarter || now - lastShownMillis >= PLAIN_EVERY_SECONDS * 1000L) {
                printLine(now);
            }
        }
    }

    /**
     * Erases the terminal line before other output is printed, so that the two do not run together; the
     * next update draws it again. Nothing to do for plain lines.
     */
    void clear() {
        if (terminal && shown && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
            cleared = true;
        }
    }

    /**
     * The work is over: a terminal line is completed with a newline; a plain log gets its 100% line. Quiet
     * if nothing was ever shown and the work took less than the delay.
     */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        long now = clock.millis();
        if (!shown && now - startMillis < delayMillis) {
            return;
        }
        if (terminal) {
            redraw(now);
            err.print('\n');
            err.flush();
        } else if (!shown || done > lastDonePrinted) {
            printLine(now);
        }
    }

    private void redraw(long now) {
        String line = render(now);
        // Pad over what a longer previous line left on screen.
        int padding = Math.max(0, lastWidth - line.length());
        err.print("\r" + line + " ".repeat(padding));
        err.flush();
        lastWidth = line.length();
        markShown(now);
    }

    private void printLine(long now) {
        err.println(render(now));
        err.flush();
        lastQuarter = quarter();
        lastDonePrinted = done;
        markShown(now);
    }

    private void markShown(long now) {
        shown = true;
        cleared = false;
        lastShownMillis = now;
    }

    /** For example {@code replay [#########---------------]  37,500/100,000  37%  12,500/s  ETA 5s}. */
    String render(long now) {
        int percent = percent();
        StringBuilder line = new StringBuilder(label).append(' ');
        if (terminal) {
            int filled = (int) (BAR_WIDTH * (long) percent / 100);
            line.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("]  ");
        }
        line.append(String.format(Locale.ROOT, "%,d/%,d  %d%%", done, total, percent));
        double seconds = (now - startMillis) / 1000.0;
        if (seconds > 0 && done > 0) {
            double rate = done / seconds;
            line.append(String.format(Locale.ROOT, "  %,d/s", Math.round(rate)));
            if (done < total) {
                line.append("  ETA ").append(duration(Math.round((total - done) / rate)));
            }
        }
        if (done == total) {
            line.append("  in ").append(duration(Math.round(seconds)));
        }
        return line.toString();
    }

    private int percent() {
        return total == 0 ? 100 : (int) (done * 100 / total);
    }

    /** 0 to 4: how many quarters of the work are done. */
    private int quarter() {
        return total == 0 ? 4 : (int) (done * 4 / total);
    }

    /** {@code 45s}, {@code 3m05s}, {@code 2h07m}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
