package dev.economyengine.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a command prints on its stdout and stderr, for tests that run commands in-process. */
public final class ConsoleCapture {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    public PrintStream outStream() {
        return outStream;
    }

    public PrintStream errStream() {
        return errStream;
    }

    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was printed on stdout; stderr keeps everything, so a test can check it stayed empty. */
    public void resetOut() {
        out.reset();
    }
}
