/**
 * The composition root: {@link dev.economyengine.app.Main} parses the command,
 * {@link dev.economyengine.app.EconomyEngine} builds and wires every part in order (an embedded broker
 * among them, when no cluster is configured), and gives the benchmark its way to start a worker.
 * The operator's commands live here too: {@code verify} and {@code export} read shard files offline,
 * {@code replay} rebuilds them from the changelog topic, {@code demo} shows a newcomer a worker at work.
 *
 * <p>Process rules: one process per data directory ({@link dev.economyengine.app.DirectoryLock}, taken
 * before anything starts); a stop that always ends within {@code shutdown.timeout.ms}
 * ({@link dev.economyengine.app.ShutdownSequence}); a directory or port in use refused in one line
 * ({@link dev.economyengine.app.StartRefusedException}).
 */
package dev.economyengine.app;
