/**
 * The Java client of Economy Engine, for game services on the JVM: {@link dev.economyengine.client.EconomyClient}
 * publishes earn and spend requests and completes a future with each one's own result, and subscribes to
 * balance changes. It depends on kafka-clients and Jackson alone (an artifact of its own,
 * {@code dev.economyengine:economy-engine-client}); the worker compiles the same sources, so that both
 * speak one reply protocol ({@link dev.economyengine.client.ReplyHeaders}).
 */
package dev.economyengine.client;
