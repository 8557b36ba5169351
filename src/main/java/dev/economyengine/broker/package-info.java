/**
 * An in-process, single-node Kafka broker: the worker starts one when no cluster is configured, so a
 * newcomer needs no Kafka installed, and the benchmark and the tests start their own. A package of its
 * own so that both the composition root ({@code app}) and the benchmark ({@code bench}) may use it
 * without depending on each other. {@link dev.economyengine.broker.StandaloneBroker} runs it as a process
 * of its own, for the benchmark's {@code --broker-process}.
 */
package dev.economyengine.broker;
