/**
 * The HTTP API on Jetty's core server: the query API ({@code /v1/users/...}: balance, history, stored
 * results), health ({@code /health/live}, {@code /health/ready}) and Prometheus metrics
 * ({@code /metrics}), as described by {@code openapi.yaml} at the repository root.
 *
 * <p>Routing. A user's data lives only with the worker that owns the user's partition. A worker asked
 * about a user whose partition it does not hold answers {@code 307 Temporary Redirect} to the owner's
 * advertised URL, with the same path and query, as the consumer group's last assignment tells it
 * ({@link dev.economyengine.messaging.EndpointAwareAssignor}); {@code 503} with {@code Retry-After}
 * while the owner is unknown (a rebalance) or while the partition is assigned here but still restoring.
 * A redirect rather than forwarding: the client then talks to the owner directly, there is no second
 * hop to time out, and no worker needs an HTTP client.
 *
 * <p>Errors. Every error is JSON, {@code {"error","message"}}, including the ones Jetty raises before
 * a request reaches the API (a malformed or over-long request line, bad headers): see
 * {@link dev.economyengine.http.JsonErrorHandler}. The JDK's own {@code HttpServer} was not used
 * because it answers those with a fixed HTML page that cannot be replaced.
 */
package dev.economyengine.http;
