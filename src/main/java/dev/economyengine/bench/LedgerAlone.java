package dev.economyengine.bench;

import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.messaging.Decoded;
import dev.economyengine.messaging.RequestDecoder;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * Not a ceiling but the other part of the worker's work: the worker's own ledger code (decoding,
 * deciding against the shard, writing to SQLite) over the same requests, in shards of the same
 * partition count, batches of about the worker's size, on one thread and with no Kafka at all. With
 * the passthrough writing three records per request, the Kafka part, it shows where the worker's
 * time goes: what bounds the rate.
 */
final class LedgerAlone {
    /** About the requests per Kafka transaction and partition the worker decides through a backlog. */
    static final int BATCH = 4096;

    private LedgerAlone() {}

    record Figures(double requestsPerSecond, int requests, double seconds, ProcessCpu.Used cpu) {}

    static Figures run(Path directory, RequestMix mix, int requests, int partitions, Economy economy) {
        RequestDecoder decoder = new RequestDecoder(economy);
        List<ShardStore> shards = new ArrayList<>(partitions);
        List<List<Request>> batches = new ArrayList<>(partitions);
        try {
            for (int p = 0; p < partitions; p++) {
                shards.add(ShardStore.open(directory.resolve("shard-" + p + ".db"), p, StoreOptions.defaults().withEconomy(economy)));
                batches.add(new ArrayList<>(BATCH));
            }
            ProcessCpu.Reading before = ProcessCpu.read();
            long started = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                RequestMix.RequestRecord record = mix.next();
                // The partition the game service's producer would have chosen: the default partitioner's.
                int partition = Utils.toPositive(Utils.murmur2(record.key())) % partitions;
                if (decoder.decode(record.type(), record.value()) instanceof Decoded.Readable readable) {
                    List<Request> batch = batches.get(partition);
                    batch.add(readable.request());
                    if (batch.size() == BATCH) {
                        shards.get(partition).apply(batch);
                        batch.clear();
                    }
                }
            }
            for (int p = 0; p < partitions; p++) {
                shards.get(p).apply(batches.get(p));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Figures(requests / seconds, requests, seconds, before.until(ProcessCpu.read()));
        } finally {
            shards.forEach(ShardStore::close);
        }
    }
}
