/**
 * The {@code bench} command: one run on one machine that measures the worker's sustained throughput,
 * its latency at half that rate and its restore speed, next to ceilings measured in the same run on
 * the same broker (an exactly-once Kafka passthrough with no ledger, through the same backlog and at
 * the same paced rate, and a naive SQLite loop), and prints the ratios. Absolute numbers depend on the machine; the ratios are what to compare.
 * With {@code --latency-curve}, the worker's latency and CPU per request at several paced rates beside
 * the passthrough's, at the same commit policy. The CPU of the worker's threads and of the broker are
 * told apart; with {@code --broker-process} the broker runs in a JVM of its own, as in production.
 */
package dev.economyengine.bench;
