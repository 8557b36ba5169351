/**
 * The {@code bench} command: one run on one machine that measures the worker's sustained throughput,
 * its latency at half that rate and its restore speed, next to ceilings measured in the same run on
 * the same broker (an exactly-once Kafka passthrough with no ledger, through the same backlog and at
 * the same paced rate, and a naive SQLite loop), and prints the ratios. Absolute numbers depend on the machine; the ratios are what to compare.
 */
package dev.economyengine.bench;
