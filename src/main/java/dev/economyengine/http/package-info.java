/**
 * The HTTP API on Jetty's core server: the query API ({@code /v1/users/...}: balance, history, stored
 * results), the writes ({@code POST /v1/users/{userId}/earn} and {@code /spend}), health
 * ({@code /health/live}, {@code /health/ready}) and Prometheus metrics ({@code /metrics}), as described by
 * {@code openapi.yaml} at the repository root.
 *
 * <p>Writes. Any worker accepts a write, whoever owns the user: {@link WriteBody} checks it as the
 * worker will read it, and a {@link RequestSubmitter} publishes it to the request topic and waits for the
 * worker's answer, without holding an HTTP thread. {@link AccessTokens} guards them with a bearer token,
 * and the queries with another when one is set; health and metrics are never guarded.
 *
 * <p>Routing. A user's data lives only with the worker that owns the user's partition. A worker asked
 * about a user whose partition it does not hold answers {@code 307 Temporary Redirect} to the owner's
 * advertised URL, with the same path and query, as the consumer group's last assignment tells it
 * ({@link ShardDirectory#ownerOf}); {@code 503} with {@code Retry-After} while the owner is unknown (a
 * rebalance), or while the partition's shard is held here but not live (restoring, or catching up
 * after a failed batch), with the shard's state named in the body.
 * A redirect rather than forwarding: the client then talks to the owner directly, there is no second
 * hop to time out, and no worker needs an HTTP client.
 *
 * <p>The package depends on the worker only through {@link ShardDirectory}, {@link Health} and
 * {@link RequestSubmitter}, which the application adapts.
 *
 * <p>Errors. Every error is JSON, {@code {"error","message"}}, including the ones Jetty raises before
 * a request reaches the API (a malformed or over-long request line, bad headers): see
 * {@link dev.economyengine.http.JsonErrorHandler}. The JDK's own {@code HttpServer} was not used
 * because it answers those with a fixed HTML page that cannot be replaced.
 */
package dev.economyengine.http;
