package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmUpTest {
    /** Each second, the process uses one CPU second, of which the JIT compilers use {@code jitPerSecond}. */
    private static int secondsUntilOver(WarmUp warmUp, double... jitPerSecond) {
        double cpu = 0;
        double jit = 0;
        for (int second = 0; ; second++) {
            if (warmUp.overAt(second, new ProcessCpu.Reading(cpu, jit))) {
                return second;
            }
            cpu += 1;
            jit += second < jitPerSecond.length ? jitPerSecond[second] : jitPerSecond[jitPerSecond.length - 1];
        }
    }

    @Test
    void endsOnceTheJitTookUnderATenthOfTheCpuForFiveSeconds() {
        // Busy compilers for 10 s, then 5% of the CPU.
        double[] jit = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.05};

        assertThat(secondsUntilOver(new WarmUp(60), jit)).isEqualTo(15);
    }

    @Test
    void fiveSecondsAtTheLeast_evenWithTheJitSettledFromTheStart() {
        assertThat(secondsUntilOver(new WarmUp(60), 0.0)).isEqualTo(WarmUp.WINDOW_SECONDS);
    }

    @Test
    void aShareJustOverATenthIsNotSettled() {
        assertThat(secondsUntilOver(new WarmUp(30), 0.11)).isEqualTo(30);
    }

    @Test
    void endsAtItsLongestWhileTheJitStaysBusy() {
        assertThat(secondsUntilOver(new WarmUp(20), 0.3)).isEqualTo(20);
    }

    @Test
    void noWarmUp_endsAtOnce() {
        assertThat(secondsUntilOver(new WarmUp(0), 0.9)).isZero();
    }

    @Test
    void refusesANegativeLongest() {
        assertThatThrownBy(() -> new WarmUp(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
