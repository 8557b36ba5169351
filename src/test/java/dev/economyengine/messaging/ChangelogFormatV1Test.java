package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.ledger.Transaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Format 1 of the changelog, pinned by golden files: the exact bytes of one record of every kind the
 * worker wrote, in {@code src/test/resources/changelog/v1/} (an accepted earn or spend, with and
 * without metadata and reason, and a rejection of each code; a request without a user and a duplicate
 * are not written). The changelog is the ledger's source of
 * truth: a shard is rebuilt from records that earlier versions of the worker wrote, so every record
 * ever written must keep decoding to the same {@link Outcome}. The worker writes format 2 now
 * ({@link ChangelogFormatV2Test}); each file here must still decode to its outcome, field by field,
 * everything in it in the default currency the codec is given (here {@code gold}, to show that it is
 * the economy's and not a fixed one), but for a rejection that named no usable action, which has none:
 * as a shard file of format 1's time is upgraded.
 *
 * <p>Changing the format: never edit or delete a v1 file, and never change this class's outcomes.
 * <ol>
 *   <li>write the new records with a new {@code format} number, and keep a reader for format 1 in
 *       {@link ChangelogCodec} beside the new one;
 *   <li>add {@code changelog/v2/} with a golden file of every kind of the new format, and a
 *       {@code ChangelogFormatV2Test} that checks them both ways, as this class does for v1;
 *   <li>here, drop only the encode test (the worker no longer writes format 1): the decode test stays,
 *       as the proof that today's changelogs still restore.
 * </ol>
 * A new kind of record within format 1 (a new rejection code, say) gets a golden file and a case below.
 */
class ChangelogFormatV1Test {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "changelog", "v1");
    private static final Instant AT = Instant.parse("2025-03-01T12:34:56.789Z");

    private static final String DEFAULT_CURRENCY = "gold";

    private final ChangelogCodec codec = new ChangelogCodec(DEFAULT_CURRENCY);

    /** One golden file and the outcome it holds. */
    record Golden(String file, Outcome outcome) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Golden> kinds() {
        return Stream.of(
                new Golden("accepted-earn.json", accepted(RequestType.EARN, "req-earn-1", "user-42", 50, 150,
                        "3-17", "daily_login", null, 2)),
                new Golden("accepted-earn-first-of-its-user-with-metadata.json", accepted(RequestType.EARN,
                        "req-earn-2", "user-7", 100, 100, "0-1", "quest_complete", "{\"questId\":7,\"source\":\"map\"}",
                        1)),
                new Golden("accepted-spend.json", accepted(RequestType.SPEND, "req-spend-1", "user-42", 30, 120,
                        "3-18", "sku:sword", null, 3)),
                new Golden("accepted-spend-without-reason.json", accepted(RequestType.SPEND, "req-spend-2", "user-42",
                        20, 100, "3-19", null, null, 4)),
                new Golden("accepted-spend-with-unicode-and-escapes.json", accepted(RequestType.SPEND,
                        "req-spend-ü", "joueur-é", 1_000_000_000, 0, "1-9000000000", "épée ⚔ \"legendary\"",
                        "{\"note\":\"say \\\"hi\\\"\\n\",\"gift\":\"🎁\"}", 12)),
                new Golden("rejected-insufficient-balance.json", rejected(RequestType.SPEND, "req-spend-3", "user-42",
                        DEFAULT_CURRENCY, ResultCode.INSUFFICIENT_BALANCE, "balance 100 is less than 500", 500L, 100,
                        null)),
                new Golden("rejected-balance-cap-exceeded.json", rejected(RequestType.EARN, "req-earn-3", "user-rich",
                        DEFAULT_CURRENCY, ResultCode.BALANCE_CAP_EXCEEDED,
                        "crediting 100 would take the balance past 1000000000", 100L, 999_999_950, null)),
                new Golden("rejected-unknown-action.json", rejected(RequestType.EARN, "req-earn-4", "user-new", null,
                        ResultCode.UNKNOWN_ACTION, "no earning rule for action 'fly'", null, 0, null)),
                new Golden("rejected-invalid-request.json", rejected(RequestType.SPEND, "req-spend-4", "user-42",
                        DEFAULT_CURRENCY, ResultCode.INVALID_REQUEST, "amount must be a whole number from 1 to 1000000000",
                        null, 100, null)),
                new Golden("rejected-invalid-request-with-metadata.json", rejected(RequestType.SPEND, "req-spend-5",
                        "user-42", DEFAULT_CURRENCY, ResultCode.INVALID_REQUEST, "the record is in partition 1 but"
                                + " Kafka's default partitioner puts this userId in partition 3; publish with the default"
                                + " (murmur2) partitioner", null, 100, "{\"client\":\"shop-v2\",\"tags\":[\"a\",\"b\"]}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void goldenFile_decodesToItsOutcome_fieldByField(Golden golden) throws IOException {
        Outcome decoded = codec.decode(read(golden.file()));

        assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(golden.outcome());
    }

    @Test
    void everyGoldenFile_hasItsCase() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(kinds().map(Golden::file).toList());
        }
    }

    @Test
    void aRecordOfAnUnknownFormat_isRefused() throws IOException {
        String v1 = new String(read("accepted-earn.json"), StandardCharsets.UTF_8);
        byte[] future = v1.replace("\"format\":1,", "\"format\":99,").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(future))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown changelog format 99");
    }

    private static byte[] read(String file) throws IOException {
        return Files.readAllBytes(GOLDEN.resolve(file));
    }

    /** As the shard decides it: the result, transaction and balance change share one instant. */
    private static Outcome accepted(RequestType type, String requestId, String userId, long amount, long balance,
            String transactionId, String reason, String metadataJson, long version) {
        Result result = new Result(requestId, userId, type, Status.ACCEPTED, ResultCode.OK, amount, DEFAULT_CURRENCY,
                balance, transactionId, null, metadataJson, null, AT, false);
        Transaction transaction = new Transaction(transactionId, userId, requestId, type, DEFAULT_CURRENCY, amount,
                reason, AT, Transaction.entriesFor(type, userId, DEFAULT_CURRENCY, amount), null);
        BalanceChange change = new BalanceChange(userId, DEFAULT_CURRENCY, balance, transaction.delta(), transactionId,
                requestId, version, AT);
        return Outcome.accepted(result, transaction, change);
    }

    private static Outcome rejected(RequestType type, String requestId, String userId, String currency,
            ResultCode code, String message, Long amount, long balance, String metadataJson) {
        return Outcome.rejected(new Result(requestId, userId, type, Status.REJECTED, code, amount, currency, balance,
                null, message, metadataJson, null, AT, false));
    }
}
