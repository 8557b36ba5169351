package dev.economyengine.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmark runs.
 *
 * @param mode the phases, the latency curve or the ledger's growth
 * @param requests requests preloaded for the throughput phases
 * @param users distinct ordinary users (a few hot users come on top)
 * @param latencySeconds how long the paced producer of a latency measurement runs, measured
 * @param latencyWarmupSeconds the longest it runs before that, at the same rate, unmeasured (see {@link WarmUp})
 * @param latencyRate requests per second of the latency phase; 0: half the measured throughput
 * @param naiveTransfers transfers of the naive SQLite loop
 * @param warmupRequests requests of the unmeasured warm-up round (the phases) or backlog (the curve); 0: none
 * @param ledgerGrowth requests of the ledger growth measurement; 0 in the other modes
 * @param curveRates the rates of the latency curve, in requests per second
 * @param brokerProcess whether the run starts a broker in a process of its own
 * @param output where the JSON result is written
 * @param seed seed of the request mix, so two runs send the same requests
 */
record BenchOptions(Mode mode, int requests, int users, int latencySeconds, int latencyWarmupSeconds,
        int latencyRate, int naiveTransfers, int warmupRequests, int ledgerGrowth, List<Integer> curveRates,
        boolean brokerProcess, Path output, long seed) {
    static final List<Integer> DEFAULT_CURVE_RATES = List.of(1_000, 2_000, 5_000, 10_000, 20_000);
    static final String USAGE = """
            usage: economy-engine bench [--requests N] [--users N] [--latency-seconds N] [--latency-warmup-seconds N]
                                        [--latency-rate N] [--naive-transfers N] [--warmup-requests N]
                                        [--broker-process] [--output FILE] [--seed N]
                   economy-engine bench --latency-curve [--curve-rates N,N,...] [--latency-seconds N]
                                        [--latency-warmup-seconds N] [--warmup-requests N] [--users N]
                                        [--broker-process] [--output FILE] [--seed N]
                   economy-engine bench --ledger-growth N [--users N] [--output FILE] [--seed N]
                   economy-engine bench --request-reply [--latency-rate N] [--latency-seconds N]
                                        [--latency-warmup-seconds N] [--broker-process] [--output FILE]
              --requests N         requests preloaded for the throughput phases (default 1000000)
              --users N            distinct users (default 100000; a few hot users come on top)
              --latency-seconds N  duration of a paced latency measurement, measured (default 20)
              --latency-warmup-seconds N
                                   paced at the same rate before that, not measured, until the JIT
                                   compilers take under 10% of the CPU for 5 s; at most N s (default 60)
              --latency-rate N     requests/s of the latency phase (default: half the measured throughput;
                                   with --request-reply, 1000)
              --naive-transfers N  transfers of the naive SQLite ceiling (default: requests, at most 200000)
              --warmup-requests N  first runs the throughput phases once over N requests of their own, not
                                   measured, so that the JIT compilers have compiled their code as in a
                                   long-running worker (default: requests, at most 200000; 0: none); with
                                   --latency-curve, the backlog the worker goes through first, twice
              --broker-process     starts the broker in a JVM of its own, as in production, rather than in
                                   this one, and reports its CPU apart; not with a configured broker
              --latency-curve      instead of the phases above: the latency curve, after a warm-up through a
                                   backlog. At each rate, the exactly-once passthrough writing three records
                                   per request, then the worker, paced and timed alike, with the worker's
                                   commit policy: p50, p99, max, and the CPU per request of the worker's (or
                                   the passthrough's) threads and of the broker
              --curve-rates N,N,...
                                   the curve's rates in requests/s (default 1000,2000,5000,10000,20000)
              --output FILE        the JSON result (default target/bench-result.json, with --latency-curve
                                   target/latency-curve.json, with --ledger-growth target/ledger-growth.json)
              --seed N             seed of the request mix (default 42)
              --ledger-growth N    instead of the phases above: the worker's ledger alone, no Kafka, applying N
                                   requests to one shard, with its cost per request at every tenth of them
              --request-reply      instead of the phases above: the round trip of a spend at one paced rate
                                   through the plain Kafka path (publish, read the results topic), the Java
                                   client (its reply topic) and an HTTP write (answered in the response)
            Uses the broker named by ECONOMY_BOOTSTRAP_SERVERS (or bootstrap.servers), otherwise starts an
            in-process one in a temporary directory (or, with --broker-process, a process of its own); other
            configuration (kafka.*, batch.max-records, ...) applies to the worker under test.""";

    /** What a run measures. */
    enum Mode {
        /** Throughput, latency and restore against their ceilings. */
        PHASES,
        /** Latency and CPU per request at several rates, the worker's beside the passthrough's. */
        LATENCY_CURVE,
        /** One shard's cost as it grows, no Kafka. */
        LEDGER_GROWTH,
        /** The round trip of a spend through Kafka, the Java client and HTTP, at one rate. */
        REQUEST_REPLY
    }

    /** The rate of {@code --request-reply} when none is given: a busy shop's, well inside the worker's. */
    static final int DEFAULT_REQUEST_REPLY_RATE = 1_000;

    BenchOptions {
        requirePositive(requests, "--requests");
        requirePositive(users, "--users");
        requirePositive(latencySeconds, "--latency-seconds");
        requireNotNegative(latencyWarmupSeconds, "--latency-warmup-seconds");
        requireNotNegative(latencyRate, "--latency-rate");
        requirePositive(naiveTransfers, "--naive-transfers");
        requireNotNegative(warmupRequests, "--warmup-requests");
        requireNotNegative(ledgerGrowth, "--ledger-growth");
        curveRates = List.copyOf(curveRates);
        if (curveRates.isEmpty()) {
            throw new IllegalArgumentException("--curve-rates needs at least one rate");
        }
        curveRates.forEach(rate -> requirePositive(rate, "each of --curve-rates"));
        if (mode == Mode.LEDGER_GROWTH && brokerProcess) {
            throw new IllegalArgumentException("--ledger-growth needs no broker: leave out --broker-process");
        }
        if (mode == Mode.LATENCY_CURVE && latencyRate > 0) {
            throw new IllegalArgumentException("--latency-rate is for the phases; the curve's rates are --curve-rates");
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
        boolean latencyCurve = false;
        boolean requestReply = false;
        List<Integer> curveRates = null;
        boolean brokerProcess = false;
        Path output = null;
        long seed = 42;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--latency-curve" -> {
                    latencyCurve = true;
                    continue;
                }
                case "--broker-process" -> {
                    brokerProcess = true;
                    continue;
                }
                case "--request-reply" -> {
                    requestReply = true;
                    continue;
                }
                default -> {
                    // an option with a value
                }
            }
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
                case "--curve-rates" -> curveRates = numbers(flag, value);
                case "--output" -> output = Path.of(value);
                case "--seed" -> seed = number(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        Mode mode = mode(latencyCurve, ledgerGrowth, curveRates != null, requestReply);
        if (mode == Mode.REQUEST_REPLY && latencyRate == 0) {
            latencyRate = DEFAULT_REQUEST_REPLY_RATE;
        }
        return new BenchOptions(mode, requests, users, latencySeconds, latencyWarmupSeconds, latencyRate,
                naiveTransfers != null ? naiveTransfers : Math.min(requests, 200_000),
                warmupRequests != null ? warmupRequests : Math.min(requests, 200_000), ledgerGrowth,
                curveRates != null ? curveRates : DEFAULT_CURVE_RATES, brokerProcess,
                output != null ? output : Path.of("target", switch (mode) {
                    case PHASES -> "bench-result.json";
                    case LATENCY_CURVE -> "latency-curve.json";
                    case LEDGER_GROWTH -> "ledger-growth.json";
                    case REQUEST_REPLY -> "request-reply.json";
                }),
                seed);
    }

    private static Mode mode(boolean latencyCurve, int ledgerGrowth, boolean curveRatesGiven, boolean requestReply) {
        if ((latencyCurve ? 1 : 0) + (ledgerGrowth > 0 ? 1 : 0) + (requestReply ? 1 : 0) > 1) {
            throw new IllegalArgumentException("--latency-curve, --ledger-growth and --request-reply are separate runs:"
                    + " choose one");
        }
        if (curveRatesGiven && !latencyCurve) {
            throw new IllegalArgumentException("--curve-rates needs --latency-curve");
        }
        if (requestReply) {
            return Mode.REQUEST_REPLY;
        }
        return latencyCurve ? Mode.LATENCY_CURVE : ledgerGrowth > 0 ? Mode.LEDGER_GROWTH : Mode.PHASES;
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, was '" + value + "'");
        }
    }

    /** "1000,2000,5_000" */
    private static List<Integer> numbers(String flag, String value) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            try {
                numbers.add(Integer.parseInt(part.strip().replace("_", "")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " must be whole numbers separated by commas, was '"
                        + value + "'");
            }
        }
        return numbers;
    }

    private static void requirePositive(int value, String flag) {
        if (value < 1) {
            throw new IllegalArgumentException(flag + " must be at least 1, was " + value);
        }
    }

    private static void requireNotNegative(int value, String flag) {
        if (value < 0) {
            throw new IllegalArgumentException(flag + " must not be negative, was " + value);
        }
    }
}
