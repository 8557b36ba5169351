package dev.economyengine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntryAndTransactionTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void entry_debitAndCredit_putTheAmountOnOneSide() {
        assertThat(Entry.debit("user:alice", "coins", 5)).isEqualTo(new Entry("user:alice", "coins", 5, 0));
        assertThat(Entry.credit("user:alice", "coins", 5)).isEqualTo(new Entry("user:alice", "coins", 0, 5));
    }

    @Test
    void entry_withBothSides_isRefused() {
        assertThatThrownBy(() -> new Entry("user:alice", "coins", 5, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one positive side");
    }

    @Test
    void entry_withNeitherSide_isRefused() {
        assertThatThrownBy(() -> new Entry("user:alice", "coins", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entry.debit("user:alice", "coins", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entry.credit("user:alice", "coins", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "debit={0} credit={1}")
    @CsvSource({"-5, 0", "0, -5", "-5, 5", "5, -5", "-1, -1"})
    void entry_withANegativeSide_isRefused(long debit, long credit) {
        assertThatThrownBy(() -> new Entry("user:alice", "coins", debit, credit))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entry_withNoAccount_isRefused() {
        assertThatThrownBy(() -> new Entry(null, "coins", 5, 0)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void entriesFor_earn_debitsTheReserveAndCreditsTheUser() {
        assertThat(Transaction.entriesFor(RequestType.EARN, "alice", "coins", 40)).containsExactlyInAnyOrder(
                new Entry("system:reserve", "coins", 40, 0),
                new Entry("user:alice", "coins", 0, 40));
    }

    @Test
    void entriesFor_spend_debitsTheUserAndCreditsTheReserve() {
        assertThat(Transaction.entriesFor(RequestType.SPEND, "alice", "coins", 40)).containsExactlyInAnyOrder(
                new Entry("user:alice", "coins", 40, 0),
                new Entry("system:reserve", "coins", 0, 40));
    }

    @Test
    void accounts_nameUsersApartFromTheReserve() {
        assertThat(Accounts.user("alice")).isEqualTo("user:alice");
        assertThat(Accounts.isUser("user:alice")).isTrue();
        assertThat(Accounts.isUser(Accounts.RESERVE)).isFalse();
        assertThat(Accounts.RESERVE).isEqualTo("system:reserve");
    }

    @Test
    void transaction_withBalancedEntries_isBuiltAndItsDeltaIsSigned() {
        Transaction earn = transaction(RequestType.EARN, 40, Transaction.entriesFor(RequestType.EARN, "alice", "coins", 40));
        Transaction spend = transaction(RequestType.SPEND, 40, Transaction.entriesFor(RequestType.SPEND, "alice", "coins", 40));

        assertThat(earn.delta()).isEqualTo(40);
        assertThat(spend.delta()).isEqualTo(-40);
        assertThat(earn.entries()).hasSize(2);
    }

    @Test
    void transaction_withUnbalancedEntries_isRefused() {
        List<Entry> unbalanced = List.of(Entry.debit(Accounts.RESERVE, "coins", 10), Entry.credit("user:alice", "coins", 9));

        assertThatThrownBy(() -> transaction(RequestType.EARN, 10, unbalanced))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unbalanced")
                .hasMessageContaining("coins")
                .hasMessageContaining("1");
    }

    @Test
    void transaction_balancedOverallButNotInEachCurrency_isRefused() {
        List<Entry> acrossCurrencies = List.of(Entry.debit(Accounts.RESERVE, "coins", 10),
                Entry.credit("user:alice", "gems", 10));

        assertThatThrownBy(() -> transaction(RequestType.EARN, 10, acrossCurrencies))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unbalanced");
    }

    @Test
    void transaction_withOnlyOneSide_isRefused() {
        assertThatThrownBy(() -> transaction(RequestType.EARN, 10, List.of(Entry.credit("user:alice", "coins", 10))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unbalanced");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 1_000_000_000_000_001L, Long.MIN_VALUE, Long.MAX_VALUE})
    void transaction_withAnInvalidAmount_isRefused(long amount) {
        List<Entry> balanced = List.of(Entry.debit(Accounts.RESERVE, "coins", 10), Entry.credit("user:alice", "coins", 10));

        assertThatThrownBy(() -> transaction(RequestType.EARN, amount, balanced))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(amount));
    }

    @Test
    void transaction_ofTheLargestAmount_isBuilt() {
        long max = 1_000_000_000L;

        assertThat(transaction(RequestType.EARN, max, Transaction.entriesFor(RequestType.EARN, "alice", "coins", max)).amount())
                .isEqualTo(max);
    }

    @Test
    void transaction_keepsItsOwnCopyOfTheEntries() {
        List<Entry> entries = new ArrayList<>(Transaction.entriesFor(RequestType.EARN, "alice", "coins", 10));
        Transaction transaction = transaction(RequestType.EARN, 10, entries);

        entries.clear();

        assertThat(transaction.entries()).hasSize(2);
        assertThatThrownBy(() -> transaction.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void transaction_withoutItsIdentity_isRefused() {
        List<Entry> entries = Transaction.entriesFor(RequestType.EARN, "alice", "coins", 10);

        assertThatThrownBy(() -> new Transaction(null, "alice", "r1", RequestType.EARN, "coins", 10, null, NOW, entries, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Transaction("0-1", null, "r1", RequestType.EARN, "coins", 10, null, NOW, entries, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Transaction("0-1", "alice", "r1", null, "coins", 10, null, NOW, entries, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Transaction("0-1", "alice", "r1", RequestType.EARN, "coins", 10, null, null, entries, null))
                .isInstanceOf(NullPointerException.class);
    }

    private static Transaction transaction(RequestType type, long amount, List<Entry> entries) {
        return new Transaction("0-1", "alice", "r1", type, "coins", amount, "quest", NOW, entries, null);
    }
}
