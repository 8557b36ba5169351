package dev.economyengine.messaging;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.store.DecidedBatch;
import dev.economyengine.store.ShardStore;
import dev.economyengine.wire.EventEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's share of a batch: decodes the records, routes them ({@link RequestRouter}), decides the
 * ones that belong here (written to the shard once published), and lists what to publish in record
 * order: a result per request decided here, its reply when the request asks for one
 * ({@link ReplyTargets}), a balance change per accepted one, a forwarded copy per request that belongs
 * to another partition (which keeps its reply headers: the shard that decides it answers), a dead
 * letter per record that cannot be handled (never answered), and a changelog record per outcome that
 * the shard stores.
 */
final class BatchOutput {
    private static final Logger log = LoggerFactory.getLogger(BatchOutput.class);

    private final Topics topics;
    private final String changelogTopic;
    private final RequestDecoder decoder;
    private final RequestRouter router;
    private final EventEncoder events = new EventEncoder();
    private final ChangelogCodec changelog;
    private final DeadLetters deadLetters;
    private final ReplyTargets replies;

    BatchOutput(Topics topics, String changelogTopic, RequestDecoder decoder, int partitionCount,
            ReplyTargets replies) {
        this.topics = topics;
        this.replies = replies;
        this.changelogTopic = changelogTopic;
        this.decoder = decoder;
        this.changelog = new ChangelogCodec(decoder.economy().defaultCurrency());
        this.router = new RequestRouter(partitionCount);
        this.deadLetters = new DeadLetters(topics.dlq());
    }

    /**
     * The shard's decided batch and the records to publish for it. {@code events} holds everything but
     * the changelog, forwarded copies and replies included; {@code forwards} and {@code replies} list
     * those again, to be counted, as {@code refusedReplies} lists the replies refused.
     */
    record Applied(DecidedBatch batch, List<ProducerRecord<byte[], byte[]>> events,
            List<ProducerRecord<byte[], byte[]>> changelog, int deadLetters,
            List<ProducerRecord<byte[], byte[]>> forwards, List<ProducerRecord<byte[], byte[]>> replies,
            List<ReplyRefusal> refusedReplies) {

        List<Outcome> outcomes() {
            return batch.outcomes();
        }
    }

    Applied apply(int partition, ShardStore shard, List<PartitionMerger.Typed> records) {
        List<RequestRouter.Route> routes = new ArrayList<>(records.size());
        List<Request> requests = new ArrayList<>(records.size());
        List<Headers> answerable = new ArrayList<>(records.size());
        for (PartitionMerger.Typed typed : records) {
            RequestRouter.Route route = router.route(typed.record(), decodeSafely(typed));
            routes.add(route);
            if (route instanceof RequestRouter.Apply here) {
                requests.add(here.request());
                answerable.add(typed.record().headers());
            }
        }
        replies.lookUp(answerable);
        DecidedBatch batch = shard.decide(requests);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.size() * 2);
        List<ProducerRecord<byte[], byte[]>> changes = new ArrayList<>(records.size());
        List<ProducerRecord<byte[], byte[]>> forwards = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> answers = new ArrayList<>();
        List<ReplyRefusal> refused = new ArrayList<>();
        int next = 0;
        int deadLettered = 0;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i).record();
            RequestRouter.Route route = routes.get(i);
            if (route instanceof RequestRouter.DeadLetter dead) {
                log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        dead.reason());
                out.add(deadLetters.of(record, dead.reason()));
                deadLettered++;
                continue;
            }
            if (route instanceof RequestRouter.Forward forward) {
                out.add(forward.copy());
                forwards.add(forward.copy());
                continue;
            }
            Outcome outcome = batch.outcomes().get(next++);
            String userId = outcome.result().userId();
            byte[] key = userId != null ? userId.getBytes(StandardCharsets.UTF_8) : record.key();
            byte[] result = events.result(outcome.result());
            out.add(new ProducerRecord<>(topics.results(), key, result));
            ReplyTargets.Decision reply = replies.decide(record.headers());
            if (reply instanceof ReplyTargets.Send send) {
                ProducerRecord<byte[], byte[]> answer = send.answer(key, result);
                out.add(answer);
                answers.add(answer);
            } else if (reply instanceof ReplyTargets.Refused refusal) {
                refused.add(refusal.reason());
            }
            outcome.balanceChange().ifPresent(change ->
                    out.add(new ProducerRecord<>(topics.balanceChanged(), key, events.balanceChange(change))));
            if (userId != null && !outcome.result().duplicate()) {
                // The shard's own partition, whatever partitioner the request's producer used.
                changes.add(new ProducerRecord<>(changelogTopic, partition, key, changelog.encode(outcome)));
            }
        }
        return new Applied(batch, out, changes, deadLettered, forwards, answers, refused);
    }

    private Decoded decodeSafely(PartitionMerger.Typed typed) {
        ConsumerRecord<byte[], byte[]> record = typed.record();
        try {
            return decoder.decode(typed.type(), record.value(), record.timestamp());
        } catch (RuntimeException e) {
            // A decoder bug must not stop the worker or lose the record: it is kept in the DLQ.
            log.error("decoder failed on {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return new Decoded.Unreadable("internal error while decoding: " + e);
        }
    }
}
