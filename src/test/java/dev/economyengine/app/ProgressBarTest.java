package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.testing.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void plainLines_showDoneTotalPercentRateAndEta() {
        ProgressBar progress = plain(100_000, Duration.ZERO);

        clock.advance(Duration.ofSeconds(10));
        progress.update(25_000);

        assertThat(output()).isEqualTo("replay 25,000/100,000  25%  2,500/s  ETA 30s\n");
    }

    @Test
    void plainLines_arePrintedAtEachQuarterAndEveryFiveSeconds_notAtEveryUpdate() {
        ProgressBar progress = plain(1_000, Duration.ZERO);

        clock.advance(Duration.ofSeconds(1));
        progress.update(100);
        for (int done = 110; done < 250; done += 10) {
            progress.update(done);
        }
        clock.advance(Duration.ofSeconds(1));
        progress.update(250);
        clock.advance(Duration.ofSeconds(5));
        progress.update(300);
        progress.update(310);
        clock.advance(Duration.ofSeconds(1));
        progress.update(500);
        progress.update(750);
        progress.update(1_000);
        progress.finish();

        assertThat(output().lines()).extracting(line -> line.split(" {2}")[0]).containsExactly(
                "replay 100/1,000", "replay 250/1,000", "replay 300/1,000", "replay 500/1,000", "replay 750/1,000",
                "replay 1,000/1,000");
    }

    @Test
    void plainFinish_printsTheHundredPercentLineOnce_withTheTimeTaken() {
        ProgressBar progress = plain(40, Duration.ZERO);

        clock.advance(Duration.ofSeconds(125));
        progress.update(40);
        progress.finish();
        progress.finish();

        assertThat(output()).isEqualTo("replay 40/40  100%  0/s  in 2m05s\n");
    }

    @Test
    void terminal_redrawsOneLineInPlace_andEndsItWithANewline() {
        ProgressBar progress = new ProgressBar("export", 200, err, true, clock, Duration.ZERO);

        clock.advance(Duration.ofSeconds(1));
        progress.update(50);
        clock.advance(Duration.ofSeconds(1));
        progress.update(200);
        progress.finish();

        assertThat(output()).isEqualTo(
                "\rexport [######------------------]  50/200  25%  50/s  ETA 3s"
                        + "\rexport [########################]  200/200  100%  100/s  in 2s"
                        + "\rexport [########################]  200/200  100%  100/s  in 2s\n");
        assertThat(output()).doesNotContain("\n\r");
    }

    @Test
    void terminal_redrawsAtMostEveryHundredMilliseconds() {
        ProgressBar progress = new ProgressBar("export", 1_000, err, true, clock, Duration.ZERO);

        clock.advance(Duration.ofSeconds(1));
        for (int done = 1; done <= 500; done++) {
            progress.update(done);
        }

        assertThat(output().chars().filter(c -> c == '\r').count()).isEqualTo(1);
    }

    @Test
    void terminal_shorterLine_isPaddedOverTheLongerOneBeforeIt() {
        ProgressBar progress = new ProgressBar("x", 10, err, true, clock, Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));
        progress.update(1);
        String first = output().substring(1);
        bytes.reset();

        clock.advance(Duration.ofHours(2));
        progress.update(10);

        String second = output().substring(1);
        assertThat(second.length()).isGreaterThanOrEqualTo(first.length());
        assertThat(second).startsWith("x [########################]  10/10  100%");
    }

    @Test
    void terminal_clear_erasesTheLineSoThatOtherOutputStartsAtTheLeft() {
        ProgressBar progress = new ProgressBar("verify", 4, err, true, clock, Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));
        progress.update(1);
        int width = output().length() - 1;
        bytes.reset();

        progress.clear();

        assertThat(output()).isEqualTo("\r" + " ".repeat(width) + "\r");
    }

    @Test
    void workEndingWithinTheDelay_printsNothingAtAll() {
        ProgressBar progress = plain(10, Duration.ofSeconds(2));

        clock.advance(Duration.ofMillis(1_500));
        progress.update(5);
        progress.update(10);
        progress.finish();

        assertThat(output()).isEmpty();
    }

    @Test
    void workOutlastingTheDelay_showsItselfOnceTheDelayIsOver() {
        ProgressBar progress = plain(10, Duration.ofSeconds(2));

        clock.advance(Duration.ofSeconds(1));
        progress.update(1);
        clock.advance(Duration.ofSeconds(2));
        progress.update(2);

        assertThat(output()).isEqualTo("replay 2/10  20%  1/s  ETA 12s\n");
    }

    @Test
    void nothingToDo_isOneHundredPercent() {
        ProgressBar progress = plain(0, Duration.ZERO);

        progress.finish();

        assertThat(output()).isEqualTo("replay 0/0  100%  in 0s\n");
    }

    @Test
    void doneBeyondTotal_isClampedToTheTotal() {
        ProgressBar progress = plain(10, Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));

        progress.update(15);

        assertThat(output()).startsWith("replay 10/10  100%");
    }

    @Test
    void negativeTotal_isRejected() {
        assertThatThrownBy(() -> plain(-1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("total");
    }

    @Test
    void durations_readAsSecondsMinutesOrHours() {
        assertThat(ProgressBar.duration(0)).isEqualTo("0s");
        assertThat(ProgressBar.duration(59)).isEqualTo("59s");
        assertThat(ProgressBar.duration(60)).isEqualTo("1m00s");
        assertThat(ProgressBar.duration(3_599)).isEqualTo("59m59s");
        assertThat(ProgressBar.duration(7_620)).isEqualTo("2h07m");
    }

    private ProgressBar plain(long total, Duration delay) {
        return new ProgressBar("replay", total, err, false, clock, delay);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
