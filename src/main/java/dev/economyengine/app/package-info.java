/**
 * The composition root: {@link dev.economyengine.app.Main} parses the command,
 * {@link dev.economyengine.app.EconomyEngine} builds and wires every part in order, and
 * {@link dev.economyengine.app.EmbeddedKafkaBroker} gives a newcomer a broker without installing Kafka.
 * The operator's commands live here too: {@code verify} and {@code export} read shard files offline,
 * {@code replay} rebuilds them from the changelog topic.
 */
package dev.economyengine.app;
