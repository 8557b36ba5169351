package dev.economyengine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a downstream service reading read_committed must be able to rely on, whatever crashed:
 * every request answered exactly once (plus one duplicate answer per extra copy sent), balances equal
 * to a replay of the accepted requests, every user's balance changes one unbroken chain of versions
 * that never goes below zero, and every shard file internally consistent.
 */
public final class LedgerAudit {
    private LedgerAudit() {}

    public static void check(Map<String, Integer> timesSent, List<JsonNode> results, List<JsonNode> changes) {
        Map<String, Integer> answers = new HashMap<>();
        Map<String, Integer> firstAnswers = new HashMap<>();
        Map<String, Long> replayed = new HashMap<>();
        for (JsonNode result : results) {
            String key = RequestLoad.key(result.get("userId").asText(), result.get("requestId").asText());
            answers.merge(key, 1, Integer::sum);
            if (!result.get("duplicate").asBoolean()) {
                firstAnswers.merge(key, 1, Integer::sum);
                if (result.get("status").asText().equals("ACCEPTED")) {
                    long amount = result.get("amount").asLong();
                    replayed.merge(result.get("userId").asText(),
                            result.get("type").asText().equals("EARN") ? amount : -amount, Long::sum);
                }
            }
        }
        assertThat(answers).as("one answer per request record published").isEqualTo(timesSent);
        assertThat(firstAnswers.values()).as("exactly one first (non-duplicate) answer per request")
                .allMatch(count -> count == 1);
        assertThat(firstAnswers.keySet()).isEqualTo(timesSent.keySet());

        Map<String, Long> finalBalances = checkChains(changes);
        assertThat(finalBalances).as("balances equal a replay of the accepted requests")
                .isEqualTo(withoutZeros(replayed));
    }

    /**
     * Each user's balance by a replay of the first (non-duplicate) ACCEPTED results; users at 0 left out.
     * What a shard must hold, whoever wrote it and however it was rebuilt.
     */
    public static Map<String, Long> replayedBalances(List<JsonNode> results) {
        Map<String, Long> replayed = new HashMap<>();
        for (JsonNode result : results) {
            if (!result.get("duplicate").asBoolean() && result.get("status").asText().equals("ACCEPTED")) {
                long amount = result.get("amount").asLong();
                replayed.merge(result.get("userId").asText(),
                        result.get("type").asText().equals("EARN") ? amount : -amount, Long::sum);
            }
        }
        return withoutZeros(replayed);
    }

    /** Per user: versions 1..n each once, each balance the previous plus the delta, never below 0. */
    private static Map<String, Long> checkChains(List<JsonNode> changes) {
        Map<String, List<JsonNode>> byUser = new HashMap<>();
        for (JsonNode change : changes) {
            byUser.computeIfAbsent(change.get("userId").asText(), u -> new ArrayList<>()).add(change);
        }
        Map<String, Long> finalBalances = new HashMap<>();
        byUser.forEach((user, chain) -> {
            chain.sort((a, b) -> Long.compare(a.get("version").asLong(), b.get("version").asLong()));
            long balance = 0;
            for (int i = 0; i < chain.size(); i++) {
                JsonNode change = chain.get(i);
                assertThat(change.get("version").asLong()).as(user + " version").isEqualTo(i + 1);
                balance += change.get("delta").asLong();
                assertThat(change.get("balance").asLong()).as(user + " balance at version " + (i + 1))
                        .isEqualTo(balance);
                assertThat(balance).as(user + " never below zero").isBetween(0L, 1_000_000_000L);
            }
            if (balance != 0) {
                finalBalances.put(user, balance);
            }
        });
        return finalBalances;
    }

    private static Map<String, Long> withoutZeros(Map<String, Long> balances) {
        Map<String, Long> nonZero = new HashMap<>(balances);
        nonZero.values().removeIf(balance -> balance == 0);
        return nonZero;
    }

    /** Every shard file under {@code dataDir}: debits equal credits, no negative balance, and so on. */
    public static List<VerificationReport> verifyShards(Path dataDir) {
        List<VerificationReport> reports = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("shard-\\d+\\.db")).toList()) {
                VerificationReport report = ShardVerifier.verify(file);
                assertThat(report.violations()).as(file.toString()).isEmpty();
                assertThat(report.totalDebits()).as(file + " debits = credits").isEqualTo(report.totalCredits());
                reports.add(report);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reports;
    }
}
