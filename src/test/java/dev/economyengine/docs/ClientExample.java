package dev.economyengine.docs;

import dev.economyengine.client.EconomyClient;
import dev.economyengine.client.Result;

/**
 * The README's Java client example, between the markers, compiled with the client so that it cannot
 * drift from its API ({@link ReadmeJavaClientTest} holds the README to it). It talks to the tour's worker.
 */
final class ClientExample {
    private ClientExample() {
    }

    public static void main(String[] args) throws Exception {
        // README begin
        try (EconomyClient economy = EconomyClient.builder("localhost:9092").clientId("shop-1").build()) {
            Result earned = economy.earn("carol", "daily_login").get();   // ACCEPTED, balance 10
            Result spent = economy.spend("carol", 4, "coins").get();      // ACCEPTED, balance 6
            Result refused = economy.spend("carol", 1_000, null).get();   // REJECTED: INSUFFICIENT_BALANCE
            System.out.println(earned.code() + " " + spent.balance() + " " + refused.code());
        }
        // README end
    }
}
