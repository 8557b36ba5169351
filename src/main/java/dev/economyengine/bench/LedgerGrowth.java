package dev.economyengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.messaging.Decoded;
import dev.economyengine.messaging.RequestDecoder;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a shard costs per request as it grows: the worker's ledger code alone (as in {@link LedgerAlone}:
 * decoding, deciding, writing to SQLite, no Kafka) on one shard, timed step by step. The benchmark's
 * other phases measure young shards, a quarter of a million requests each by default; a studio's
 * shards hold millions. Each request inserts into B-trees keyed by user (its idempotency record, the
 * history index), so once a tree holds many more pages than a commit touches, every request dirties
 * pages of its own, and SQLite writes each dirty page twice, to the WAL and at the checkpoint.
 */
final class LedgerGrowth {
    private static final int STEPS = 10;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LedgerGrowth() {}

    /**
     * One step of the growth: the requests applied during it, and what they cost.
     *
     * @param shardRequests the requests the shard had been given by the end of the step
     * @param fileBytes the shard file's size at the end of the step, its WAL not included
     */
    record Step(long shardRequests, int requests, double seconds, ProcessCpu.Used cpu, long fileBytes) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        double cpuMicrosPerRequest() {
            return cpu.cpuSeconds() * 1e6 / requests;
        }
    }

    static List<Step> run(Path directory, RequestMix mix, int requests, Economy economy, PrintStream progress) {
        RequestDecoder decoder = new RequestDecoder(economy);
        Path file = directory.resolve("shard-0.db");
        int stepSize = Math.max(1, requests / STEPS);
        List<Step> steps = new ArrayList<>(STEPS);
        List<Request> batch = new ArrayList<>(LedgerAlone.BATCH);
        try (ShardStore shard = ShardStore.open(file, 0, StoreOptions.defaults().withEconomy(economy))) {
            ProcessCpu.Reading stepCpu = ProcessCpu.read();
            long stepStarted = System.nanoTime();
            int stepStart = 0;
            for (int i = 1; i <= requests; i++) {
                RequestMix.RequestRecord record = mix.next();
                if (decoder.decode(record.type(), record.value()) instanceof Decoded.Readable readable) {
                    batch.add(readable.request());
                }
                if (batch.size() == LedgerAlone.BATCH || i % stepSize == 0 || i == requests) {
                    shard.apply(batch);
                    batch.clear();
                }
                if (i % stepSize == 0 || i == requests) {
                    ProcessCpu.Reading now = ProcessCpu.read();
                    Step step = new Step(i, i - stepStart, (System.nanoTime() - stepStarted) / 1e9,
                            stepCpu.until(now), Files.size(file));
                    steps.add(step);
                    progress.println("    " + line(step));
                    stepCpu = now;
                    stepStarted = System.nanoTime();
                    stepStart = i;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return steps;
    }

    static String line(Step step) {
        return String.format(Locale.ROOT, "%,12d requests in the shard  %,8.0f requests/s  %6.1f CPU µs/request"
                        + " (JIT compilers %2.0f%%)  file %,6d MiB", step.shardRequests(), step.requestsPerSecond(),
                step.cpuMicrosPerRequest(), 100 * step.cpu().jitShare(), step.fileBytes() >> 20);
    }

    static void writeJson(Path output, List<Step> steps, int users) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("context")
                .put("processors", Runtime.getRuntime().availableProcessors())
                .put("java", System.getProperty("java.version"))
                .put("users", users)
                .put("requestsPerBatch", LedgerAlone.BATCH);
        ArrayNode array = root.putArray("ledgerGrowth");
        for (Step step : steps) {
            array.addObject()
                    .put("shardRequests", step.shardRequests())
                    .put("requests", step.requests())
                    .put("requestsPerSecond", step.requestsPerSecond())
                    .put("cpuMicrosPerRequest", step.cpuMicrosPerRequest())
                    .put("jitShareOfCpu", step.cpu().jitShare())
                    .put("fileBytes", step.fileBytes());
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(output.toFile(), root);
    }
}
