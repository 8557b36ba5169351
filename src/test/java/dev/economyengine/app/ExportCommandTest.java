package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.wire.EventEncoder;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.store.TransactionPage;
import dev.economyengine.testing.ConsoleCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-24T11:23:55Z");

    @TempDir
    Path dir;

    private final ConsoleCapture console = new ConsoleCapture();

    @Test
    void csvOfAUser_hasAHeaderAndOneRowPerEntryOfEachOfTheUsersTransactions_oldestFirst() {
        Path shard = shard(0, 0);

        int exit = export("--user", "alice", shard.toString());

        assertThat(exit).isZero();
        List<List<String>> rows = parseCsv(console.out());
        assertThat(rows.get(0)).containsExactly("transactionId", "userId", "requestId", "type", "currency", "amount",
                "reason", "createdAt", "account", "debit", "credit");
        assertThat(rows.subList(1, rows.size())).isEqualTo(csvRows(history(shard, 0, "alice")));
        assertThat(rows.get(1)).containsExactly("0-1", "alice", "a1", "EARN", "coins", "100", "quest",
                "2026-11-24T11:23:55.000Z", "system:reserve", "100", "0");
        assertThat(rows.get(2)).containsExactly("0-1", "alice", "a1", "EARN", "coins", "100", "quest",
                "2026-11-24T11:23:55.000Z", "user:alice", "0", "100");
        assertThat(rows).hasSize(1 + 2 * 3);
        assertThat(console.err()).isEmpty();
    }

    @Test
    void csv_endsEveryLineWithCrlf_andQuotesCommasQuotesAndLineBreaks() {
        Path shard = dir.resolve("shard-0.db");
        try (ShardStore store = ShardStore.open(shard, 0, options(0))) {
            store.apply(List.of(new Request.Earn("q1", "carol", 5, "a, \"quoted\"\nreason", null),
                    new Request.Earn("q2", "carol", 5, null, null)));
        }

        int exit = export("--user", "carol", shard.toString());

        assertThat(exit).isZero();
        assertThat(console.out()).contains("0-1,carol,q1,EARN,coins,5,\"a, \"\"quoted\"\"\nreason\","
                + "2026-11-24T11:23:55.000Z,system:reserve,5,0\r\n");
        assertThat(console.out()).contains("0-2,carol,q2,EARN,coins,5,,2026-11-24T11:23:55.000Z,user:carol,0,5\r\n");
        assertThat(console.out().replace("\r\n", "").replace("reason\"", "")).doesNotContain("\r");
        assertThat(parseCsv(console.out()).get(1).get(6)).isEqualTo("a, \"quoted\"\nreason");
    }

    @Test
    void export_ofAShardOfSeveralCurrencies_namesTheCurrencyOnEveryLine() throws IOException {
        Path shard = dir.resolve("shard-0.db");
        Economy economy = new Economy("gold", List.of(new Currency("gold", 1_000), new Currency("gems", 10)), List.of());
        try (ShardStore store = ShardStore.open(shard, 0, options(0).withEconomy(economy))) {
            store.apply(List.of(new Request.Earn("g1", "dana", 100, "quest", null),
                    new Request.Earn("c1", "dana", "gems", 7, null, "chest", null, null),
                    new Request.Spend("s1", "dana", "gems", 2, "sku:skin", null)));
        }

        assertThat(export("--user", "dana", shard.toString())).isZero();
        List<List<String>> rows = parseCsv(console.out());
        console.resetOut();
        assertThat(export("--format", "jsonl", shard.toString())).isZero();

        assertThat(rows.subList(1, rows.size())).extracting(row -> row.get(2) + " " + row.get(4) + " " + row.get(8))
                .containsExactly("g1 gold system:reserve", "g1 gold user:dana", "c1 gems system:reserve",
                        "c1 gems user:dana", "s1 gems user:dana", "s1 gems system:reserve");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : console.out().strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("currency").asText()).containsExactly("gold", "gems", "gems");
        assertThat(lines.get(2).get("entries")).extracting(entry -> entry.get("currency").asText())
                .containsExactly("gems", "gems");
    }

    @Test
    void jsonLinesOfAWholeShard_holdEveryTransactionAsTheQueryApiShowsIt_plusTheUser() throws IOException {
        Path shard = shard(3, 0);

        int exit = export("--format", "jsonl", shard.toString());

        assertThat(exit).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : console.out().split("\n", -1)) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(console.out()).endsWith("}\n");
        List<Transaction> expected = new ArrayList<>(history(shard, 3, "alice"));
        expected.addAll(history(shard, 3, "bob"));
        expected.sort(Comparator.comparingLong(t -> Long.parseLong(t.transactionId().substring(2))));
        assertThat(lines).hasSize(5);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo(json(expected.get(i)));
        }
        assertThat(lines.get(0).fieldNames()).toIterable().containsExactly("transactionId", "userId", "requestId",
                "type", "currency", "amount", "reason", "createdAt", "rulesVersion", "entries");
    }

    @Test
    void jsonLinesOfAUser_spanTheShardsOfADataDirectory_inShardOrder() throws IOException {
        Path dataDir = dir.resolve("data");
        shardAt(dataDir.resolve("ledger"), 10, 10_000);
        shardAt(dataDir.resolve("ledger"), 2, 0);

        int exit = export("--format=jsonl", "--user", "bob", dataDir.toString());

        assertThat(exit).isZero();
        List<String> ids = new ArrayList<>();
        for (String line : console.out().strip().split("\n")) {
            ids.add(JSON.readTree(line).get("transactionId").asText());
        }
        assertThat(ids).containsExactly("2-4", "2-5", "10-4", "10-5");
    }

    @Test
    void directoryOfShardFiles_standsForEachOfThem() {
        shard(1, 0);
        shard(0, 0);

        int exit = export(dir.toString());

        assertThat(exit).isZero();
        List<List<String>> rows = parseCsv(console.out());
        assertThat(rows).hasSize(1 + 2 * 5 * 2);
        assertThat(rows.get(1).get(0)).isEqualTo("0-1");
        assertThat(rows.get(rows.size() - 1).get(0)).isEqualTo("1-5");
    }

    @Test
    void outputFile_receivesTheExport_andStdoutStaysEmpty() throws IOException {
        Path shard = shard(0, 0);
        Path output = dir.resolve("alice.csv");

        int exit = export("--user", "alice", "--output", output.toString(), shard.toString());

        assertThat(exit).isZero();
        assertThat(console.out()).isEmpty();
        assertThat(parseCsv(Files.readString(output))).hasSize(1 + 6);
    }

    @Test
    void existingOutputFile_isNeverOverwritten_andExitsTwo() throws IOException {
        Path shard = shard(0, 0);
        Path output = Files.writeString(dir.resolve("keep.csv"), "precious");

        int exit = export("--output", output.toString(), shard.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains(output + " already exists");
        assertThat(Files.readString(output)).isEqualTo("precious");
    }

    @Test
    void userWithoutTransactions_getsOnlyTheHeader_andANoteOnStderr() {
        Path shard = shard(0, 0);

        int exit = export("--user", "nobody", shard.toString());

        assertThat(exit).isZero();
        assertThat(console.out()).isEqualTo(String.join(",", CsvTransactionWriter.HEADER) + "\r\n");
        assertThat(console.err()).contains("no transactions of user nobody in 1 shard file(s)");
    }

    @Test
    void shardThatAStoreHasOpen_isExportedBesideIt() {
        Path shard = dir.resolve("shard-0.db");
        try (ShardStore store = ShardStore.open(shard, 0, options(0))) {
            store.apply(List.of(new Request.Earn("a1", "alice", 7, "quest", null)));

            int exit = export("--user", "alice", shard.toString());

            assertThat(exit).isZero();
            assertThat(parseCsv(console.out())).hasSize(3);
        }
    }

    @Test
    void missingFile_isNamedOnStderr_exitsTwo_andNeitherItNorTheOutputIsCreated() {
        Path missing = dir.resolve("shard-9.db");
        Path output = dir.resolve("out.csv");

        int exit = export("--output", output.toString(), missing.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("no shard file at " + missing);
        assertThat(missing).doesNotExist();
        assertThat(output).doesNotExist();
        assertThat(console.out()).isEmpty();
    }

    @Test
    void corruptFile_isNamedOnStderr_exitsTwo_andIsLeftByteForByte() throws IOException {
        byte[] garbage = "this is not an SQLite database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Path corrupt = Files.write(dir.resolve("shard-0.db"), garbage);
        Path output = dir.resolve("out.jsonl");

        int exit = export("--format", "jsonl", "--output", output.toString(), corrupt.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("not an Economy Engine shard: " + corrupt);
        assertThat(Files.readAllBytes(corrupt)).isEqualTo(garbage);
        assertThat(filesIn(dir)).containsExactly("shard-0.db");
        assertThat(console.out()).isEmpty();
    }

    @Test
    void sqliteFileThatIsNotAShard_exitsTwo() throws Exception {
        Path other = dir.resolve("other.db");
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other);
                var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE things (id INTEGER)");
        }

        int exit = export(other.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("not an Economy Engine shard: " + other);
    }

    @Test
    void badFileAmongGoodOnes_writesNothing() {
        Path good = shard(0, 0);

        int exit = export(good.toString(), dir.resolve("shard-1.db").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.out()).isEmpty();
    }

    @Test
    void directoryWithoutShards_exitsTwo() {
        int exit = export(dir.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("no shard-*.db files in " + dir);
    }

    @Test
    void unknownFormat_exitsTwoWithUsage() {
        int exit = export("--format", "xml", shard(0, 0).toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("unknown format 'xml'").contains("usage: economy-engine export");
        assertThat(console.out()).isEmpty();
    }

    @Test
    void unknownOption_optionWithoutValue_repeatedOption_andNoOperand_eachExitTwo() {
        String shard = shard(0, 0).toString();

        assertThat(export("--fix", shard)).isEqualTo(2);
        assertThat(export(shard, "--user")).isEqualTo(2);
        assertThat(export("--user", "a", "--user", "b", shard)).isEqualTo(2);
        assertThat(ExportCommand.run(List.of("--user", "alice"), () -> dir.resolve("no-such-data"),
                console.outStream(), console.errStream())).isEqualTo(2);
        assertThat(export("--user", "", shard)).isEqualTo(2);

        assertThat(console.err()).contains("unknown option '--fix'", "option --user needs a value",
                "option --user is given twice", "no shard files in the data directory " + dir.resolve("no-such-data"), "--user needs a user id");
        assertThat(console.out()).isEmpty();
    }

    @Test
    void help_printsUsageAndExitsZero() {
        int exit = export("--help");

        assertThat(exit).isZero();
        assertThat(console.out()).startsWith("usage: economy-engine export [--format csv|jsonl] [--user <userId>]");
    }

    // --- helpers --------------------------------------------------------------------------------------

    private Path shard(int shardId, long clockOffsetMillis) {
        return shardAt(dir, shardId, clockOffsetMillis);
    }

    /**
     * Alice earns 100 and 10 and spends 30; bob earns 50 and spends 20; bob's spend of 1,000 is rejected
     * and leaves no transaction.
     */
    private static Path shardAt(Path directory, int shardId, long clockOffsetMillis) {
        Path file = directory.resolve("shard-" + shardId + ".db");
        try (ShardStore store = ShardStore.open(file, shardId, options(clockOffsetMillis))) {
            store.apply(List.of(
                    new Request.Earn("a1", "alice", 100, "quest", null),
                    new Request.Earn("a2", "alice", 10, "daily_login", "{\"streak\":3}"),
                    new Request.Spend("a3", "alice", 30, "sku:sword", null),
                    new Request.Earn("b1", "bob", 50, "game_completion", null),
                    new Request.Spend("b2", "bob", 20, "sku:shield", null),
                    new Request.Spend("b3", "bob", 1_000, "sku:castle", null)));
        }
        return file;
    }

    private static StoreOptions options(long clockOffsetMillis) {
        return new StoreOptions(Clock.fixed(T0.plusMillis(clockOffsetMillis), ZoneOffset.UTC), Duration.ofMinutes(1));
    }

    /** The user's history as the store's query API gives it, oldest first. */
    private static List<Transaction> history(Path file, int shardId, String userId) {
        try (ShardStore store = ShardStore.open(file, shardId, StoreOptions.defaults())) {
            TransactionPage page = store.transactions(userId, TransactionPage.MAX_LIMIT, null);
            List<Transaction> transactions = new ArrayList<>(page.transactions());
            java.util.Collections.reverse(transactions);
            return transactions;
        }
    }

    private static List<List<String>> csvRows(List<Transaction> transactions) {
        List<List<String>> rows = new ArrayList<>();
        for (Transaction t : transactions) {
            for (Entry e : t.entries()) {
                rows.add(List.of(t.transactionId(), t.userId(), t.requestId(), t.type().name(), t.currency(),
                        Long.toString(t.amount()), t.reason() == null ? "" : t.reason(),
                        EventEncoder.timestamp(t.createdAt()), e.account(), Long.toString(e.debit()),
                        Long.toString(e.credit())));
            }
        }
        return rows;
    }

    /** The transaction as JSON, read back so that numbers compare by value rather than by Jackson's node type. */
    private static JsonNode json(Transaction t) throws IOException {
        var node = JSON.createObjectNode();
        node.put("transactionId", t.transactionId());
        node.put("userId", t.userId());
        node.put("requestId", t.requestId());
        node.put("type", t.type().name());
        node.put("currency", t.currency());
        node.put("amount", t.amount());
        node.put("reason", t.reason());
        node.put("createdAt", EventEncoder.timestamp(t.createdAt()));
        node.put("rulesVersion", t.basis() == null ? null : t.basis().rulesVersion());
        var entries = node.putArray("entries");
        for (Entry e : t.entries()) {
            entries.addObject().put("account", e.account()).put("currency", e.currency()).put("debit", e.debit())
                    .put("credit", e.credit());
        }
        return JSON.readTree(node.toString());
    }

    /** RFC 4180: records end with CRLF; a quoted field may hold commas, doubled quotes and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(field.length() + row.size()).as("the CSV ends with CRLF").isZero();
        return rows;
    }

    private static List<String> filesIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int export(String... args) {
        return ExportCommand.run(List.of(args), ExportCommandTest::noDataDirectoryExpected, console.outStream(),
                console.errStream());
    }

    private static Path noDataDirectoryExpected() {
        throw new AssertionError("a command line with a path must not ask for the configured data directory");
    }
}
