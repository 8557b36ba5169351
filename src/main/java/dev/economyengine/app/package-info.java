/**
 * The composition root: {@link dev.economyengine.app.Main} parses the command,
 * {@link dev.economyengine.app.EconomyEngine} builds and wires every part in order (an embedded broker
 * among them, when no cluster is configured), and gives the benchmark its way to start a worker.
 * The operator's commands live here too: {@code verify} and {@code export} read shard files offline,
 * {@code replay} rebuilds them from the changelog topic.
 */
package dev.economyengine.app;
