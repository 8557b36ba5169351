/**
 * Operations: the worker's metrics on Micrometer, exported in the Prometheus text format by the HTTP
 * layer. {@link dev.economyengine.ops.EngineMetrics} owns the registry and binds the Kafka clients'
 * own metrics; {@link dev.economyengine.ops.MicrometerWorkerMetrics} counts what the poll loop reports.
 */
package dev.economyengine.ops;
