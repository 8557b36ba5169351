package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.CalendarUnit;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Limit;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Window;
import dev.economyengine.testing.Directories;
import dev.economyengine.testing.SettableClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random earns and spends over two currencies and every kind of limit, with record timestamps that
 * cross window boundaries (hours, days, ISO weeks, month ends, a leap day, the turn of a year) and now
 * and then go back in time, against a plain model that keeps every accepted earn and scans them: the
 * results (codes, currencies, balances, limits named, next allowed times), the balances and versions
 * agree; in each currency debits equal credits; no balance leaves 0 and its cap; and the shard rebuilt
 * from its outcomes has the same state. Each run is one seed, so a failure names the seed that
 * reproduces it.
 */
class EconomyModelTest {
    private static final Map<String, Long> COVERAGE = new ConcurrentHashMap<>();

    private static final Window PER_DAY = new Window.Calendar(CalendarUnit.DAY);
    private static final Economy ECONOMY = new Economy("coins",
            List.of(new Currency("coins", 2_000L, List.of(new AmountLimit(300, rolling(Duration.ofMinutes(30))))),
                    new Currency("gems", 1_000L, List.of(new AmountLimit(500, PER_DAY)))),
            List.of(rule("login", "coins", 10, new CountLimit(1, PER_DAY)),
                    rule("quest", "coins", 25, new CountLimit(3, rolling(Duration.ofHours(1))),
                            new CountLimit(5, PER_DAY)),
                    rule("weekly", "coins", 100, new CountLimit(1, new Window.Calendar(CalendarUnit.WEEK))),
                    rule("hourly", "coins", 5, new CountLimit(2, new Window.Calendar(CalendarUnit.HOUR))),
                    rule("monthly", "gems", 200, new CountLimit(2, new Window.Calendar(CalendarUnit.MONTH))),
                    rule("once", "gems", 150, new CountLimit(1, new Window.Lifetime())),
                    rule("chest", "gems", 60),
                    rule("free", "coins", 40)));
    private static final List<String> USERS = List.of("alice", "bob");
    private static final List<String> ACTIONS = List.of("login", "quest", "weekly", "hourly", "monthly", "once",
            "chest", "free");
    /** Instants just before boundaries of every calendar unit. */
    private static final List<Instant> BOUNDARIES = List.of(
            Instant.parse("2026-01-31T23:59:59.900Z"), Instant.parse("2028-02-28T23:59:59.500Z"),
            Instant.parse("2028-02-29T23:59:59.999Z"), Instant.parse("2026-12-31T23:59:59.000Z"),
            Instant.parse("2026-03-15T23:59:59.990Z"), Instant.parse("2026-03-16T00:59:59.999Z"),
            Instant.parse("2026-06-30T23:30:00Z"), Instant.parse("2026-04-26T23:59:00Z"));

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 120);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomEarnsAndSpendsOfTwoCurrenciesUnderLimits_agreeWithAPlainModel(long seed) throws IOException,
            SQLException {
        Random random = new Random(seed);
        Path dir = Files.createTempDirectory("economy-model");
        Model model = new Model();
        List<Outcome> history = new ArrayList<>();
        Instant clock = BOUNDARIES.get(random.nextInt(BOUNDARIES.size())).minus(Duration.ofHours(2));
        try (ShardStore store = open(dir.resolve("shard.db"))) {
            for (int b = 0, batches = 2 + random.nextInt(12); b < batches; b++) {
                List<Step> steps = new ArrayList<>();
                for (int i = 0, size = 1 + random.nextInt(8); i < size; i++) {
                    clock = nextTime(random, clock);
                    steps.add(step(random, clock));
                }
                List<Outcome> outcomes = store.apply(steps.stream().map(Step::request).toList());
                for (int i = 0; i < steps.size(); i++) {
                    model.check(steps.get(i), outcomes.get(i));
                }
                history.addAll(outcomes.stream().filter(BatchDecider::stored).toList());
                for (String user : USERS) {
                    assertThat(store.balances(user).balances()).as("balances of %s", user)
                            .isEqualTo(model.balancesOf(user));
                    assertThat(store.balances(user).version()).as("version of %s", user).isEqualTo(model.version(user));
                }
            }
        }
        try (ShardStore rebuilt = open(dir.resolve("rebuilt.db"))) {
            rebuilt.restore(history, history.size());
        }
        try {
            VerificationReport original = ShardVerifier.verify(dir.resolve("shard.db"));
            assertThat(original.violations()).isEmpty();
            assertThat(ShardVerifier.verify(dir.resolve("rebuilt.db")).stateHash()).isEqualTo(original.stateHash());
            assertDebitsEqualCreditsInEachCurrency(dir.resolve("shard.db"));
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** The random runs must reach the interesting cases, or they prove little. */
    @AfterAll
    static void everyOutcomeWasExercised() {
        for (String label : List.of("accepted coins", "accepted gems", "INSUFFICIENT_BALANCE", "BALANCE_CAP_EXCEEDED",
                "LIMIT_REACHED with a next time", "LIMIT_REACHED for ever", "duplicate", "judged at a later earn",
                "limit of a currency", "window crossed")) {
            assertThat(COVERAGE.getOrDefault(label, 0L)).as(label).isPositive();
        }
    }

    private static void collect(String label) {
        COVERAGE.merge(label, 1L, Long::sum);
    }

    /** Mostly forward by seconds to hours, sometimes across a boundary, now and then back a little. */
    private static Instant nextTime(Random random, Instant clock) {
        int pick = random.nextInt(20);
        if (pick == 0) {
            return BOUNDARIES.get(random.nextInt(BOUNDARIES.size())).plusMillis(random.nextInt(200));
        }
        if (pick == 1) {
            return clock.minusSeconds(1 + random.nextInt(3_600));
        }
        if (pick < 5) {
            return clock.plusMillis(1 + random.nextInt(2_000));
        }
        if (pick < 14) {
            return clock.plusSeconds(1 + random.nextInt(1_800));
        }
        return clock.plusSeconds(1_800 + random.nextInt(4 * 86_400));
    }

    private static Step step(Random random, Instant at) {
        String user = USERS.get(random.nextInt(USERS.size()));
        String requestId = random.nextInt(12) == 0 ? "r" + random.nextInt(4) : "r" + (100 + random.nextInt(1_000_000));
        if (random.nextInt(3) > 0) {
            EarningRule rule = ECONOMY.rules().forAction(ACTIONS.get(random.nextInt(ACTIONS.size()))).orElseThrow();
            return new Step(new Request.Earn(requestId, user, rule.currency(), rule.creditedAmount(), rule.action(),
                    rule.action(), null, at), at);
        }
        String currency = random.nextBoolean() ? "coins" : "gems";
        long amount = random.nextInt(4) == 0 ? 1 + random.nextInt(1_000) : 1 + random.nextInt(120);
        return new Step(new Request.Spend(requestId, user, currency, amount, "sku", null), at);
    }

    /** A request and the time of its record. */
    record Step(Request request, Instant at) {}

    /** One accepted earn, as the model keeps it: when it was judged, and its weight for its subject. */
    private record Earned(long at, long weight) {}

    /**
     * The plain model: balances, versions, the first answer to each (user, request), and every accepted
     * earn of each (user, action) and (user, currency), scanned whole to decide each limit.
     */
    private static final class Model {
        private final Map<String, Map<String, Long>> balances = new HashMap<>();
        private final Map<String, Long> versions = new HashMap<>();
        private final Map<List<String>, Result> answered = new HashMap<>();
        private final Map<List<String>, List<Earned>> earns = new HashMap<>();

        Map<String, Long> balancesOf(String user) {
            return balances.getOrDefault(user, Map.of());
        }

        long version(String user) {
            return versions.getOrDefault(user, 0L);
        }

        void check(Step step, Outcome outcome) {
            Request request = step.request();
            Result result = outcome.result();
            List<String> key = List.of(request.userId(), request.requestId());
            Result first = answered.get(key);
            if (first != null) {
                collect("duplicate");
                assertThat(result).isEqualTo(first.asDuplicate());
                assertThat(outcome.transaction()).isEmpty();
                return;
            }
            answered.put(key, result);
            String currency = request.currency();
            long amount = request instanceof Request.Earn earn ? earn.amount() : ((Request.Spend) request).amount();
            long before = balancesOf(request.userId()).getOrDefault(currency, 0L);
            long cap = ECONOMY.currency(currency).orElseThrow().cap();
            assertThat(result.currency()).isEqualTo(currency);
            assertThat(result.amount()).isEqualTo(amount);
            Refusal refusal = request instanceof Request.Earn earn ? limitsOf(earn, step.at()) : null;
            if (refusal != null) {
                collect(refusal.nextAllowedAt == null ? "LIMIT_REACHED for ever" : "LIMIT_REACHED with a next time");
                assertThat(result.code()).as("%s", step).isEqualTo(ResultCode.LIMIT_REACHED);
                assertThat(result.message()).as("%s", step).isEqualTo(refusal.limit);
                assertThat(result.nextAllowedAt()).as("%s", step).isEqualTo(refusal.nextAllowedAt);
                assertThat(result.balance()).isEqualTo(before);
                assertThat(outcome.transaction()).isEmpty();
                return;
            }
            long after = request.type() == RequestType.EARN ? before + amount : before - amount;
            if (after < 0 || after > cap) {
                ResultCode code = after < 0 ? ResultCode.INSUFFICIENT_BALANCE : ResultCode.BALANCE_CAP_EXCEEDED;
                collect(code.name());
                assertThat(result.code()).as("%s on %d", step, before).isEqualTo(code);
                assertThat(result.balance()).isEqualTo(before);
                assertThat(result.nextAllowedAt()).isNull();
                return;
            }
            collect("accepted " + currency);
            assertThat(result.code()).as("%s on %d", step, before).isEqualTo(ResultCode.OK);
            assertThat(result.balance()).isEqualTo(after);
            balances.computeIfAbsent(request.userId(), user -> new HashMap<>()).put(currency, after);
            versions.merge(request.userId(), 1L, Long::sum);
            BalanceChange change = outcome.balanceChange().orElseThrow();
            assertThat(change.currency()).isEqualTo(currency);
            assertThat(change.version()).isEqualTo(version(request.userId()));
            assertThat(outcome.transaction().orElseThrow().currency()).isEqualTo(currency);
            if (request instanceof Request.Earn earn) {
                record(earn, step.at());
            }
        }

        /** The refusal the limits give the earn, or null: its action's limits first, then its currency's. */
        private Refusal limitsOf(Request.Earn earn, Instant at) {
            Refusal worst = null;
            List<String> actionKey = List.of(earn.userId(), "action", earn.action());
            for (CountLimit limit : ECONOMY.rules().forAction(earn.action()).orElseThrow().limits()) {
                worst = later(worst, judge(limit, earn.action(), actionKey, at, 1));
            }
            List<String> currencyKey = List.of(earn.userId(), "currency", earn.currency());
            for (AmountLimit limit : ECONOMY.currency(earn.currency()).orElseThrow().earnLimits()) {
                Refusal refusal = judge(limit, earn.currency(), currencyKey, at, earn.amount());
                if (refusal != null) {
                    collect("limit of a currency");
                }
                worst = later(worst, refusal);
            }
            return worst;
        }

        private Refusal judge(Limit limit, String subject, List<String> key, Instant at, long weight) {
            List<Earned> past = earns.getOrDefault(key, List.of());
            long t = judgedAt(past, at);
            if (used(limit, past, t) + weight <= limit.max()) {
                return null;
            }
            return new Refusal(limit.describe(subject), nextAllowed(limit, past, t, weight));
        }

        /** Never before the latest earn of the same subject. */
        private static long judgedAt(List<Earned> past, Instant at) {
            long t = at.toEpochMilli();
            for (Earned earned : past) {
                if (earned.at() > t) {
                    collect("judged at a later earn");
                    t = earned.at();
                }
            }
            return t;
        }

        private static long used(Limit limit, List<Earned> past, long t) {
            long sum = 0;
            for (Earned earned : past) {
                if (inWindow(limit.window(), earned.at(), t)) {
                    sum += earned.weight();
                }
            }
            return sum;
        }

        private static boolean inWindow(Window window, long earnedAt, long t) {
            if (window instanceof Window.Rolling rolling) {
                return earnedAt > t - rolling.lengthMillis() && earnedAt <= t;
            }
            if (window instanceof Window.Calendar calendar) {
                return unitOf(calendar.unit(), earnedAt).equals(unitOf(calendar.unit(), t));
            }
            return true;
        }

        /** The earliest time T (not before t) at which the earn would pass, tried at every point the sum can drop. */
        private static Instant nextAllowed(Limit limit, List<Earned> past, long t, long weight) {
            if (weight > limit.max()) {
                return null;
            }
            if (limit.window() instanceof Window.Calendar calendar) {
                collect("window crossed");
                return nextUnit(calendar.unit(), t);
            }
            if (limit.window() instanceof Window.Rolling rolling) {
                long best = Long.MAX_VALUE;
                for (Earned earned : past) {
                    long candidate = earned.at() + rolling.lengthMillis();
                    if (candidate > t && candidate < best && used(limit, past, candidate) + weight <= limit.max()) {
                        best = candidate;
                    }
                }
                return best == Long.MAX_VALUE ? null : Instant.ofEpochMilli(best);
            }
            return null;
        }

        private void record(Request.Earn earn, Instant at) {
            List<String> actionKey = List.of(earn.userId(), "action", earn.action());
            if (!ECONOMY.rules().forAction(earn.action()).orElseThrow().limits().isEmpty()) {
                List<Earned> past = earns.computeIfAbsent(actionKey, k -> new ArrayList<>());
                past.add(new Earned(judgedAt(past, at), 1));
            }
            List<String> currencyKey = List.of(earn.userId(), "currency", earn.currency());
            if (!ECONOMY.currency(earn.currency()).orElseThrow().earnLimits().isEmpty()) {
                List<Earned> past = earns.computeIfAbsent(currencyKey, k -> new ArrayList<>());
                past.add(new Earned(judgedAt(past, at), earn.amount()));
            }
        }

        /** Of two refusals, the one holding the earn back longer; never beats any time; a tie keeps the first. */
        private static Refusal later(Refusal a, Refusal b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            if (a.nextAllowedAt == null || b.nextAllowedAt == null) {
                return a.nextAllowedAt == null ? a : b;
            }
            return b.nextAllowedAt.isAfter(a.nextAllowedAt) ? b : a;
        }
    }

    private record Refusal(String limit, Instant nextAllowedAt) {}

    /** The calendar unit holding a time, as its first local date-time in UTC: written apart from CalendarUnit. */
    private static LocalDateTime unitOf(CalendarUnit unit, long epochMillis) {
        LocalDateTime at = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        return switch (unit) {
            case HOUR -> at.truncatedTo(ChronoUnit.HOURS);
            case DAY -> at.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> at.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
    }

    private static Instant nextUnit(CalendarUnit unit, long epochMillis) {
        LocalDateTime start = unitOf(unit, epochMillis);
        LocalDateTime next = switch (unit) {
            case HOUR -> start.plusHours(1);
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
        return next.toInstant(ZoneOffset.UTC);
    }

    private static void assertDebitsEqualCreditsInEachCurrency(Path file) throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement statement = sql.createStatement();
                ResultSet sums = statement.executeQuery("""
                        SELECT a.currency, SUM(e.debit), SUM(e.credit) FROM entries e
                        JOIN accounts a ON a.account_id = e.account_id GROUP BY a.currency""")) {
            while (sums.next()) {
                assertThat(sums.getLong(2)).as("debits of %s", sums.getString(1)).isEqualTo(sums.getLong(3));
            }
        }
    }

    private static ShardStore open(Path file) {
        return ShardStore.open(file, 0, new StoreOptions(new SettableClock(Instant.parse("2026-01-01T00:00:00Z")),
                StoreOptions.DEFAULT_CACHE_TTL, ECONOMY));
    }

    private static Window rolling(Duration length) {
        return new Window.Rolling(length.toString(), length);
    }

    private static EarningRule rule(String action, String currency, long amount, CountLimit... limits) {
        return new EarningRule(action, currency, amount, BigDecimal.ONE, List.of(limits));
    }
}
