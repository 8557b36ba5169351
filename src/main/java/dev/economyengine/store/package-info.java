/**
 * SQLite storage of the ledger: one file per shard (a Kafka partition), the schema with its
 * append-only triggers, one SQLite transaction per batch of requests, and the Caffeine balance cache.
 * {@link dev.economyengine.store.Ledger} is the API a Java game server can embed without Kafka.
 */
package dev.economyengine.store;
