package dev.economyengine.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What the benchmark runs.
 *
 * @param requests requests preloaded for the throughput phases
 * @param users distinct ordinary users (a few hot users come on top)
 * @param latencySeconds how long the paced producer of the latency phase runs, measured
 * @param latencyWarmupSeconds the longest it runs before that, at the same rate, unmeasured (see {@link WarmUp})
 * @param latencyRate requests per second of the latency phase; 0: half the measured throughput
 * @param naiveTransfers transfers of the naive SQLite loop
 * @param warmupRequests requests of the unmeasured warm-up round of the throughput phases; 0: none
 * @param ledgerGrowth requests of the ledger growth measurement, run instead of the phases; 0: the phases
 * @param output where the JSON result is written
 * @param seed seed of the request mix, so two runs send the same requests
 */
record BenchOptions(int requests, int users, int latencySeconds, int latencyWarmupSeconds, int latencyRate,
        int naiveTransfers, int warmupRequests, int ledgerGrowth, Path output, long seed) {
    static final String USAGE = """
            usage: economy-engine bench [--requests N] [--users N] [--latency-seconds N] [--latency-warmup-seconds N]
                                        [--latency-rate N] [--naive-transfers N] [--warmup-requests N]
                                        [--output FILE] [--seed N]
                   economy-engine bench --ledger-growth N [--users N] [--output FILE] [--seed N]
              --requests N         requests preloaded for the throughput phases (default 1000000)
              --users N            distinct users (default 100000; a few hot users come on top)
              --latency-seconds N  duration of the paced latency phase, measured (default 20)
              --latency-warmup-seconds N
                                   paced at the same rate before that, not measured, until the JIT
                                   compilers take under 10% of the CPU for 5 s; at most N s (default 60)
              --latency-rate N     requests/s of the latency phase (default: half the measured throughput)
              --naive-transfers N  transfers of the naive SQLite ceiling (default: requests, at most 200000)
              --warmup-requests N  first runs the throughput phases once over N requests of their own, not
                                   measured, so that the JIT compilers have compiled their code as in a
                                   long-running worker (default: requests, at most 200000; 0: none)
              --output FILE        the JSON result (default target/bench-result.json, with --ledger-growth
                                   target/ledger-growth.json)
              --seed N             seed of the request mix (default 42)
              --ledger-growth N    instead of the phases above: the worker's ledger alone, no Kafka, applying N
                                   requests to one shard, with its cost per request at every tenth of them
            Uses the broker named by ECONOMY_BOOTSTRAP_SERVERS (or bootstrap.servers), otherwise starts an
            in-process one in a temporary directory; other configuration (kafka.*, batch.max-records, ...)
            applies to the worker under test.""";

    BenchOptions {
        requirePositive(requests, "--requests");
        requirePositive(users, "--users");
        requirePositive(latencySeconds, "--latency-seconds");
        if (latencyWarmupSeconds < 0) {
            throw new IllegalArgumentException("--latency-warmup-seconds must not be negative, was " + latencyWarmupSeconds);
        }
        if (latencyRate < 0) {
            throw new IllegalArgumentException("--latency-rate must not be negative, was " + latencyRate);
        }
        requirePositive(naiveTransfers, "--naive-transfers");
        if (warmupRequests < 0) {
            throw new IllegalArgumentException("--warmup-requests must not be negative, was " + warmupRequests);
        }
        if (ledgerGrowth < 0) {
            throw new IllegalArgumentException("--ledger-growth must not be negative, was " + ledgerGrowth);
        }
    }

    static BenchOptions parse(List<String> args) {
        int requests = 1_000_000;
        int users = 100_000;
        int latencySeconds = 20;
        int latencyWarmupSeconds = 60;
        int latencyRate = 0;
        Integer naiveTransfers = null;
        Integer warmupRequests = null;
        int ledgerGrowth = 0;
        Path output = null;
        long seed = 42;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unexpected " + flag);
            }
            String value = args.get(++i);
            switch (flag) {
                case "--requests" -> requests = number(flag, value);
                case "--users" -> users = number(flag, value);
                case "--latency-seconds" -> latencySeconds = number(flag, value);
                case "--latency-warmup-seconds" -> latencyWarmupSeconds = number(flag, value);
                case "--latency-rate" -> latencyRate = number(flag, value);
                case "--naive-transfers" -> naiveTransfers = number(flag, value);
                case "--warmup-requests" -> warmupRequests = number(flag, value);
                case "--ledger-growth" -> ledgerGrowth = number(flag, value);
                case "--output" -> output = Path.of(value);
                case "--seed" -> seed = number(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return new BenchOptions(requests, users, latencySeconds, latencyWarmupSeconds, latencyRate,
                naiveTransfers != null ? naiveTransfers : Math.min(requests, 200_000),
                warmupRequests != null ? warmupRequests : Math.min(requests, 200_000), ledgerGrowth,
                output != null ? output : Path.of("target", ledgerGrowth > 0 ? "ledger-growth.json" : "bench-result.json"),
                seed);
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, was '" + value + "'");
        }
    }

    private static void requirePositive(int value, String flag) {
        if (value < 1) {
            throw new IllegalArgumentException(flag + " must be at least 1, was " + value);
        }
    }
}
