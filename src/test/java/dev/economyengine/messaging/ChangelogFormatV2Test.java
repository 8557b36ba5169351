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
 * Format 2 of the changelog, pinned by golden files: the exact bytes of one record of every kind the
 * worker writes, in {@code src/test/resources/changelog/v2/}: accepted earns (by a rule, with the
 * rules version and record timestamp they were decided under; by the embedded ledger, with no action)
 * and spends, in the default currency and another, and a rejection of each code (a limit reached with
 * and without a next allowed time). Each file is checked
 * both ways: it decodes to its outcome, field by field, and that outcome encodes to exactly its bytes.
 * A record of format 2 names its currencies, so the codec's default currency plays no part in it.
 *
 * <p>Changing the format: as {@link ChangelogFormatV1Test} describes, with a format 3 and its own files.
 */
class ChangelogFormatV2Test {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "changelog", "v2");
    private static final Instant AT = Instant.parse("2026-03-01T12:34:56.789Z");
    private static final Instant RECORDED = Instant.parse("2026-03-01T12:34:56.512Z");
    private static final String RULES = "3f2a9c1d5e6b7a80";

    private final ChangelogCodec codec = new ChangelogCodec("unused");

    /** One golden file and the outcome it holds. */
    record Golden(String file, Outcome outcome) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Golden> kinds() {
        return Stream.of(
                new Golden("accepted-earn.json", accepted(RequestType.EARN, "req-earn-1", "user-42", "coins", 50, 150,
                        "3-17", "daily_login", null, 2, new Transaction.EarnBasis("daily_login", RULES, RECORDED))),
                new Golden("accepted-earn-of-another-currency-first-of-its-user-with-metadata.json",
                        accepted(RequestType.EARN, "req-earn-2", "user-7", "gems", 150, 150, "0-1", "first_purchase",
                                "{\"questId\":7,\"source\":\"map\"}", 1,
                                new Transaction.EarnBasis("first_purchase", RULES, RECORDED))),
                new Golden("accepted-earn-of-the-embedded-ledger.json", accepted(RequestType.EARN, "req-earn-3",
                        "user-42", "coins", 25, 175, "0-9", "refund", null, 5,
                        new Transaction.EarnBasis(null, RULES, AT))),
                new Golden("accepted-spend.json", accepted(RequestType.SPEND, "req-spend-1", "user-42", "coins", 30,
                        120, "3-18", "sku:sword", null, 3, null)),
                new Golden("accepted-spend-of-another-currency.json", accepted(RequestType.SPEND, "req-spend-2",
                        "user-7", "gems", 100, 50, "0-2", "sku:skin", null, 2, null)),
                new Golden("accepted-spend-without-reason.json", accepted(RequestType.SPEND, "req-spend-3", "user-42",
                        "coins", 20, 100, "3-19", null, null, 4, null)),
                new Golden("accepted-spend-with-unicode-and-escapes.json", accepted(RequestType.SPEND,
                        "req-spend-ü", "joueur-é", "gold_2", 1_000_000_000_000_000L, 0, "1-9000000000",
                        "épée ⚔ \"legendary\"", "{\"note\":\"say \\\"hi\\\"\\n\",\"gift\":\"🎁\"}", 12, null)),
                new Golden("rejected-insufficient-balance.json", rejected(RequestType.SPEND, "req-spend-4", "user-7",
                        "gems", ResultCode.INSUFFICIENT_BALANCE, "balance 50 is less than 500", 500L, 50, null)),
                new Golden("rejected-balance-cap-exceeded.json", rejected(RequestType.EARN, "req-earn-4", "user-rich",
                        "coins", ResultCode.BALANCE_CAP_EXCEEDED, "crediting 100 would take the balance past 1000000000",
                        100L, 999_999_950, null)),
                new Golden("rejected-unknown-action.json", rejected(RequestType.EARN, "req-earn-5", "user-new", null,
                        ResultCode.UNKNOWN_ACTION, "no earning rule for action 'fly'", null, 0, null)),
                new Golden("rejected-unknown-currency.json", rejected(RequestType.SPEND, "req-spend-5", "user-42", null,
                        ResultCode.UNKNOWN_CURRENCY, "no currency 'diamonds' in the economy", 5L, 0, null)),
                new Golden("rejected-invalid-request.json", rejected(RequestType.SPEND, "req-spend-6", "user-42",
                        "coins", ResultCode.INVALID_REQUEST, "amount must be a whole number from 1 to 1000000000", null,
                        100, null)),
                new Golden("rejected-invalid-request-with-metadata.json", rejected(RequestType.SPEND, "req-spend-7",
                        "user-7", "gems", ResultCode.INVALID_REQUEST, "amount must be a whole number from 1 to 1000000",
                        null, 50, "{\"client\":\"shop-v2\",\"tags\":[\"a\",\"b\"]}")),
                new Golden("rejected-limit-reached.json", limitReached("req-earn-6", "user-42", "coins",
                        "daily_login: 1 per calendar day", 10, 150, Instant.parse("2026-03-02T00:00:00Z"))),
                new Golden("rejected-limit-reached-for-ever.json", limitReached("req-earn-7", "user-7", "gems",
                        "first_purchase: 1 ever", 150, 50, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void goldenFile_decodesToItsOutcome_fieldByField(Golden golden) throws IOException {
        Outcome decoded = codec.decode(read(golden.file()));

        assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(golden.outcome());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void outcome_encodesToTheGoldenFileByteForByte(Golden golden) throws IOException {
        byte[] encoded = codec.encode(golden.outcome());

        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .as("a change of the changelog format needs a new format number and a reader for this one: see"
                        + " ChangelogFormatV1Test's comment")
                .isEqualTo(new String(read(golden.file()), StandardCharsets.UTF_8));
        assertThat(encoded).isEqualTo(read(golden.file()));
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
        String v2 = new String(read("accepted-earn.json"), StandardCharsets.UTF_8);
        byte[] future = v2.replace("\"format\":2,", "\"format\":3,").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(future))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown changelog format 3");
    }

    private static byte[] read(String file) throws IOException {
        return Files.readAllBytes(GOLDEN.resolve(file));
    }

    /** As the shard decides it: the result, transaction and balance change share one instant. */
    static Outcome accepted(RequestType type, String requestId, String userId, String currency, long amount,
            long balance, String transactionId, String reason, String metadataJson, long version,
            Transaction.EarnBasis basis) {
        Result result = new Result(requestId, userId, type, Status.ACCEPTED, ResultCode.OK, amount, currency, balance,
                transactionId, null, metadataJson, null, AT, false);
        Transaction transaction = new Transaction(transactionId, userId, requestId, type, currency, amount, reason, AT,
                Transaction.entriesFor(type, userId, currency, amount), basis);
        BalanceChange change = new BalanceChange(userId, currency, balance, transaction.delta(), transactionId,
                requestId, version, AT);
        return Outcome.accepted(result, transaction, change);
    }

    static Outcome limitReached(String requestId, String userId, String currency, String limit, long amount,
            long balance, Instant nextAllowedAt) {
        return Outcome.rejected(new Result(requestId, userId, RequestType.EARN, Status.REJECTED,
                ResultCode.LIMIT_REACHED, amount, currency, balance, null, limit, null, nextAllowedAt, AT, false));
    }

    static Outcome rejected(RequestType type, String requestId, String userId, String currency, ResultCode code,
            String message, Long amount, long balance, String metadataJson) {
        return Outcome.rejected(new Result(requestId, userId, type, Status.REJECTED, code, amount, currency, balance,
                null, message, metadataJson, null, AT, false));
    }
}
