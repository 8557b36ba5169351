package dev.economyengine.bench;

import java.util.List;

/** Runs the benchmark on its own: {@code java -cp ... dev.economyengine.bench.Bench [options]}. */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        System.exit(BenchCommand.run(List.of(args), System.getenv(), System.out, System.err));
    }
}
