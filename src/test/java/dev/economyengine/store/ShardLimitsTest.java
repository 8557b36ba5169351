package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.CalendarUnit;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.LedgerException;
import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Window;
import dev.economyengine.testing.SettableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Earn limits decided by a shard: from state it keeps beside the ledger, the same live and restored. */
class ShardLimitsTest {
    static final Economy LIMITED = new Economy("coins",
            List.of(new Currency("coins", 1_000_000_000L),
                    new Currency("gems", 1_000_000L, List.of(new AmountLimit(500, new Window.Calendar(CalendarUnit.DAY))))),
            List.of(new EarningRule("daily_login", "coins", 10, BigDecimal.ONE,
                            List.of(new CountLimit(1, new Window.Calendar(CalendarUnit.DAY)))),
                    new EarningRule("quest", "coins", 50, BigDecimal.ONE,
                            List.of(new CountLimit(2, new Window.Rolling("PT1H", Duration.ofHours(1))))),
                    new EarningRule("first_purchase", "gems", 100, new BigDecimal("1.5"),
                            List.of(new CountLimit(1, new Window.Lifetime()))),
                    new EarningRule("chest", "gems", 200, BigDecimal.ONE, List.of())));
    private static final Instant NOW = Instant.parse("2026-03-14T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void earnOverItsActionsLimit_isRejectedWithLimitReached_theLimitInWords_andWhenItWouldPass() {
        try (ShardStore store = open("shard.db")) {
            List<Outcome> outcomes = store.apply(List.of(
                    earn("l1", "alice", "daily_login", "2026-03-14T08:00:00Z"),
                    earn("l2", "alice", "daily_login", "2026-03-14T20:00:00Z"),
                    earn("l3", "alice", "daily_login", "2026-03-15T00:00:00Z")));

            Result refused = outcomes.get(1).result();
            assertThat(refused.code()).isEqualTo(ResultCode.LIMIT_REACHED);
            assertThat(refused.message()).isEqualTo("daily_login: 1 per calendar day");
            assertThat(refused.nextAllowedAt()).isEqualTo(Instant.parse("2026-03-15T00:00:00Z"));
            assertThat(refused.currency()).isEqualTo("coins");
            assertThat(refused.amount()).isEqualTo(10);
            assertThat(refused.balance()).as("unchanged").isEqualTo(10);
            assertThat(outcomes.get(1).transaction()).isEmpty();
            assertThat(outcomes.get(2).result().isAccepted()).isTrue();
            assertThat(store.balance("alice").balance()).isEqualTo(20);
        }
    }

    @Test
    void lifetimeLimit_hasNoNextTime_andACurrencysAmountLimitCountsEveryRuleOfIt() {
        try (ShardStore store = open("shard.db")) {
            List<Outcome> outcomes = store.apply(List.of(
                    earn("p1", "bob", "first_purchase", "2026-03-14T08:00:00Z"),
                    earn("p2", "bob", "first_purchase", "2027-03-14T08:00:00Z"),
                    earn("c1", "bob", "chest", "2027-03-14T09:00:00Z"),
                    earn("c2", "bob", "chest", "2027-03-14T10:00:00Z"),
                    earn("c3", "bob", "chest", "2027-03-14T11:00:00Z")));

            assertThat(outcomes.get(1).result().code()).isEqualTo(ResultCode.LIMIT_REACHED);
            assertThat(outcomes.get(1).result().message()).isEqualTo("first_purchase: 1 ever");
            assertThat(outcomes.get(1).result().nextAllowedAt()).isNull();
            assertThat(outcomes.get(2).result().isAccepted()).isTrue();
            assertThat(outcomes.get(3).result().isAccepted()).isTrue();
            assertThat(outcomes.get(4).result().message()).isEqualTo("gems: 500 earned per calendar day");
            assertThat(outcomes.get(4).result().nextAllowedAt()).isEqualTo(Instant.parse("2027-03-15T00:00:00Z"));
        }
    }

    @Test
    void requestRefusedForALimit_seenAgain_getsItsOriginalAnswer_evenOnceTheLimitWouldLetItPass() {
        try (ShardStore store = open("shard.db")) {
            store.apply(List.of(earn("l1", "carol", "daily_login", "2026-03-14T08:00:00Z")));
            Result first = store.apply(List.of(earn("l2", "carol", "daily_login", "2026-03-14T09:00:00Z")))
                    .get(0).result();

            Result again = store.apply(List.of(earn("l2", "carol", "daily_login", "2026-03-16T09:00:00Z")))
                    .get(0).result();

            assertThat(again).isEqualTo(first.asDuplicate());
            assertThat(store.result("carol", "l2")).contains(first);
        }
    }

    @Test
    void batchesDecidedAheadOfTheirWrites_seeEachOthersUsage() {
        try (ShardStore store = open("shard.db")) {
            DecidedBatch one = store.decide(List.of(earn("q1", "dave", "quest", "2026-03-14T10:00:00Z"),
                    earn("q2", "dave", "quest", "2026-03-14T10:10:00Z")));
            DecidedBatch two = store.decide(List.of(earn("q3", "dave", "quest", "2026-03-14T10:20:00Z")));

            assertThat(two.outcomes().get(0).result().message()).isEqualTo("quest: 2 per rolling hour");
            assertThat(two.outcomes().get(0).result().nextAllowedAt()).isEqualTo(Instant.parse("2026-03-14T11:00:00Z"));
            for (DecidedBatch batch : List.of(one, two)) {
                store.holdReads(batch);
                store.writeBehind(batch, OptionalLong.empty(), nanos -> { });
            }
            store.awaitWrites();
            assertThat(store.limitUsages("dave")).containsOnlyKeys("action:quest");
        }
    }

    @Test
    void discardedBatch_leavesNoUsage() {
        try (ShardStore store = open("shard.db")) {
            DecidedBatch aborted = store.decide(List.of(earn("l1", "erin", "daily_login", "2026-03-14T10:00:00Z")));
            store.discard(aborted);

            Outcome again = store.apply(List.of(earn("l1", "erin", "daily_login", "2026-03-14T11:00:00Z"))).get(0);

            assertThat(again.result().isAccepted()).isTrue();
        }
    }

    @Test
    void shardRestoredFromItsOutcomes_hasTheSameUsage_andDecidesTheNextEarnsAsTheOriginal() {
        List<Outcome> history = new ArrayList<>();
        List<Request> next = List.of(earn("q9", "frank", "quest", "2026-03-14T10:59:00Z"),
                earn("c9", "frank", "chest", "2026-03-14T23:00:00Z"),
                earn("l9", "frank", "daily_login", "2026-03-14T23:59:00Z"));
        List<Result> original;
        try (ShardStore store = open("original.db")) {
            history.addAll(store.apply(List.of(earn("q1", "frank", "quest", "2026-03-14T10:00:00Z"),
                    earn("q2", "frank", "quest", "2026-03-14T10:30:00Z"),
                    earn("c1", "frank", "chest", "2026-03-14T11:00:00Z"),
                    earn("c2", "frank", "chest", "2026-03-14T12:00:00Z"),
                    earn("l1", "frank", "daily_login", "2026-03-14T13:00:00Z"))));
            original = store.apply(next).stream().map(Outcome::result).toList();
        }
        List<Result> restored;
        try (ShardStore store = open("restored.db")) {
            store.restore(history, history.size());
            restored = store.apply(next).stream().map(Outcome::result).toList();
        }

        assertThat(restored).isEqualTo(original);
        assertThat(original).extracting(Result::code).containsExactly(ResultCode.LIMIT_REACHED,
                ResultCode.LIMIT_REACHED, ResultCode.LIMIT_REACHED);
        assertThat(ShardVerifier.verify(dir.resolve("restored.db")).stateHash())
                .isEqualTo(ShardVerifier.verify(dir.resolve("original.db")).stateHash());
    }

    @Test
    void usageOfARollingLimit_keepsNoMoreEarnsThanTheLimitCounts_howeverLongTheHistory() {
        try (ShardStore store = open("shard.db")) {
            for (int i = 0; i < 200; i++) {
                store.apply(List.of(earn("q" + i, "grace", "quest", Instant.parse("2026-03-14T00:00:00Z")
                        .plusSeconds(i * 31 * 60L).toString())));
            }

            LimitUsage usage = store.limitUsages("grace").get("action:quest");
            assertThat(usage.rollingTimes()).hasSizeLessThanOrEqualTo(2);
            assertThat(store.transactions("grace", 500, null).transactions()).hasSize(200);
        }
    }

    @Test
    void embeddedLedgersEarn_isHeldToItsCurrencysLimits_atTheTimeOfTheCall() {
        try (Ledger ledger = Ledger.open(dir.resolve("ledger.db"),
                new StoreOptions(new SettableClock(NOW), StoreOptions.DEFAULT_CACHE_TTL, LIMITED))) {
            ledger.earn("heidi", "gems", 400, "chest");

            assertThatThrownBy(() -> ledger.earn("heidi", "gems", 101, "chest"))
                    .isInstanceOfSatisfying(LedgerException.class,
                            e -> assertThat(e.code()).isEqualTo(ResultCode.LIMIT_REACHED))
                    .hasMessage("gems: 500 earned per calendar day");
            assertThat(ledger.balance("heidi", "gems")).isEqualTo(400);
        }
    }

    private ShardStore open(String file) {
        return ShardStore.open(dir.resolve(file), 0, new StoreOptions(new SettableClock(NOW),
                StoreOptions.DEFAULT_CACHE_TTL, LIMITED));
    }

    /** An earn by a rule, as the worker decodes it, at its record timestamp. */
    static Request earn(String requestId, String userId, String action, String recordedAt) {
        EarningRule rule = LIMITED.rules().forAction(action).orElseThrow();
        return new Request.Earn(requestId, userId, rule.currency(), rule.creditedAmount(), action, action, null,
                Instant.parse(recordedAt));
    }
}
