package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Request;
import dev.economyengine.store.DecidedBatch;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenTransactionTest {
    private final ShardStore shard = ShardStore.inMemory(0, StoreOptions.defaults());

    @AfterEach
    void close() {
        shard.close();
    }

    /**
     * Regression: the last changelog send was kept per shard, so the first of two batches of one shard in
     * a transaction was written with the second's offset; a death between the two writes left the file
     * claiming a batch it did not hold, which a restore then skipped.
     */
    @Test
    void twoBatchesOfOneShard_eachKeepTheirOwnLastChangelogSend() {
        OpenTransaction transaction = new OpenTransaction(0);
        BatchOutput.Applied first = applied("r1");
        BatchOutput.Applied second = applied("r2");
        Future<RecordMetadata> firstSend = sentAt(10);
        Future<RecordMetadata> secondSend = sentAt(11);

        transaction.add(shard, first, 1);
        transaction.changelogSent(first, firstSend);
        transaction.add(shard, second, 1);
        transaction.changelogSent(second, secondSend);

        assertThat(transaction.lastChangelogSend(first)).isSameAs(firstSend);
        assertThat(transaction.lastChangelogSend(second)).isSameAs(secondSend);
        assertThat(transaction.records()).isEqualTo(2);
    }

    private BatchOutput.Applied applied(String requestId) {
        DecidedBatch batch = shard.decide(List.of(new Request.Earn(requestId, "alice", 10, "daily_login", null)));
        return new BatchOutput.Applied(batch, List.of(), List.of(), 0, List.of(), List.of(), List.of());
    }

    private static Future<RecordMetadata> sentAt(long offset) {
        return CompletableFuture.completedFuture(
                new RecordMetadata(new TopicPartition("changelog", 0), offset, 0, 0, 1, 1));
    }
}
