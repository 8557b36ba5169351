package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.BalanceCapExceededException;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.InsufficientBalanceException;
import dev.economyengine.ledger.LedgerException;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalances;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded ledger under an economy of two currencies: each has its balances, cap and reserve. */
class LedgerCurrenciesTest {
    static final Economy GOLD_AND_GEMS = new Economy("gold",
            List.of(new Currency("gold", 1_000_000_000L), new Currency("gems", 1_000L)), List.of());

    @TempDir
    Path dir;

    private Path file;
    private Ledger ledger;

    @BeforeEach
    void open() {
        file = dir.resolve("economy.db");
        ledger = Ledger.open(file, StoreOptions.defaults().withEconomy(GOLD_AND_GEMS));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void earnAndSpend_inACurrency_moveOnlyThatCurrencysBalance() {
        ledger.earn("alice", "gems", 50, "chest");
        ledger.earn("alice", "gold", 7, "quest");
        Transaction spent = ledger.spend("alice", "gems", 20, "sku:skin");

        assertThat(ledger.balance("alice", "gems")).isEqualTo(30);
        assertThat(ledger.balance("alice", "gold")).isEqualTo(7);
        assertThat(ledger.balances("alice")).containsExactly(Map.entry("gems", 30L), Map.entry("gold", 7L));
        assertThat(spent.currency()).isEqualTo("gems");
        assertThat(spent.entries()).containsExactly(Entry.debit(Accounts.user("alice"), "gems", 20),
                Entry.credit(Accounts.RESERVE, "gems", 20));
    }

    @Test
    void methodsWithoutACurrency_moveTheDefaultCurrency() {
        ledger.earn("bob", 40, "quest");
        ledger.spend("bob", 15, "sku:potion");

        assertThat(ledger.balance("bob")).isEqualTo(25);
        assertThat(ledger.balance("bob", "gold")).isEqualTo(25);
        assertThat(ledger.balance("bob", "gems")).isZero();
        assertThat(ledger.transactions("bob").transactions()).extracting(Transaction::currency)
                .containsOnly("gold");
    }

    @Test
    void balances_ofAUserWithNoHistory_listEveryCurrencyAtZero() {
        assertThat(ledger.balances("nobody")).containsExactly(Map.entry("gems", 0L), Map.entry("gold", 0L));
    }

    @Test
    void spend_inACurrencyTheUserLacks_isRefusedWhateverItHoldsInAnother() {
        ledger.earn("carol", "gold", 1_000, "quest");

        assertThatThrownBy(() -> ledger.spend("carol", "gems", 1, "sku:skin"))
                .isInstanceOf(InsufficientBalanceException.class);
        assertThat(ledger.balances("carol")).containsEntry("gold", 1_000L).containsEntry("gems", 0L);
    }

    @Test
    void earn_pastTheCapOfItsCurrency_isRefused_thoughAnotherCurrencysCapIsHigher() {
        ledger.earn("dave", "gems", 999, "chest");

        assertThatThrownBy(() -> ledger.earn("dave", "gems", 2, "chest"))
                .isInstanceOf(BalanceCapExceededException.class)
                .hasMessageContaining("1000");
        ledger.earn("dave", "gems", 1, "chest");
        assertThat(ledger.balance("dave", "gems")).isEqualTo(1_000);
        assertThatThrownBy(() -> ledger.earn("dave", "gems", 1_001, "chest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
    }

    @Test
    void earnOrSpend_inACurrencyTheEconomyLacks_isRefusedWithUnknownCurrencyAndRecordsNothing() {
        for (Runnable call : List.<Runnable>of(() -> ledger.earn("erin", "diamonds", 5, "x"),
                () -> ledger.spend("erin", "diamonds", 5, "x"))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(LedgerException.class,
                            e -> assertThat(e.code()).isEqualTo(ResultCode.UNKNOWN_CURRENCY))
                    .hasMessageContaining("diamonds");
        }
        assertThat(ledger.transactions("erin").transactions()).isEmpty();
    }

    @Test
    void everyCurrency_balancesOnItsOwn_andTheVerifierFindsNothingWrong() {
        ledger.earn("frank", "gems", 300, "chest");
        ledger.earn("frank", "gold", 5_000, "quest");
        ledger.spend("frank", "gems", 100, "sku:skin");
        ledger.earn("grace", "gems", 10, "chest");

        VerificationReport report = ShardVerifier.verify(file);

        assertThat(report.violations()).isEmpty();
        assertThat(report.users()).isEqualTo(2);
        assertThat(report.totalDebits()).isEqualTo(report.totalCredits()).isEqualTo(300 + 5_000 + 100 + 10);
    }

    @Test
    void balanceVersions_countEveryChangeOfAnyCurrency_andEachChangeNamesItsCurrency() {
        ledger.close();
        try (ShardStore store = ShardStore.open(dir.resolve("shard.db"), 0,
                StoreOptions.defaults().withEconomy(GOLD_AND_GEMS))) {
            List<BalanceChange> changes = store.apply(List.of(new Request.Earn("r1", "ivan", 10, "quest", null),
                            new Request.Earn("r2", "ivan", "gems", 3, null, "chest", null, null),
                            new Request.Spend("r3", "ivan", "gems", 1, "sku:skin", null),
                            new Request.Spend("r4", "ivan", 4, "sku:potion", null)))
                    .stream().map(outcome -> outcome.balanceChange().orElseThrow()).toList();

            assertThat(changes).extracting(BalanceChange::currency, BalanceChange::balance, BalanceChange::version)
                    .containsExactly(tuple("gold", 10L, 1L), tuple("gems", 3L, 2L), tuple("gems", 2L, 3L),
                            tuple("gold", 6L, 4L));
            assertThat(store.balances("ivan")).isEqualTo(new UserBalances("ivan", Map.of("gold", 6L, "gems", 2L), 4));
        }
        ledger = Ledger.open(file, StoreOptions.defaults().withEconomy(GOLD_AND_GEMS));
    }

    @Test
    void reopeningTheFile_keepsEveryCurrencysBalances() {
        ledger.earn("heidi", "gems", 12, "chest");
        ledger.earn("heidi", "gold", 34, "quest");
        ledger.close();

        ledger = Ledger.open(file, StoreOptions.defaults().withEconomy(GOLD_AND_GEMS));

        assertThat(ledger.balances("heidi")).containsExactly(Map.entry("gems", 12L), Map.entry("gold", 34L));
    }
}
