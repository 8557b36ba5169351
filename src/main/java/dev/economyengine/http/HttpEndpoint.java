package dev.economyengine.http;

import dev.economyengine.ledger.Economy;
import dev.economyengine.wire.EventEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server, started in two steps: {@link #bind} opens the port (so that a free port, and with it
 * the advertised URL, is known before the Kafka consumer that advertises it is made), {@link #start}
 * begins answering.
 */
public final class HttpEndpoint implements AutoCloseable {
    /** Longest request line plus headers; past it the answer is 414 (request line) or 431 (headers). */
    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    private static final Set<String> WILDCARDS = Set.of("", "0.0.0.0", "::", "[::]");

    private final Server server;
    private final ServerConnector connector;
    private final String url;
    private final AccessTokens tokens;

    private HttpEndpoint(Server server, ServerConnector connector, String url, AccessTokens tokens) {
        this.server = server;
        this.connector = connector;
        this.url = url;
        this.tokens = tokens;
    }

    public static HttpEndpoint bind(HttpOptions options) {
        // Reads are short SQLite queries behind one lock per shard: a few threads are plenty on 2 cores.
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("economy-http");
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        config.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        // The API splits and decodes the raw path itself (ids may hold any character, even an encoded
        // '/'), so these reach it rather than being refused by Jetty with a vaguer message: encoded
        // separators and dots, and bad percent-encoding, which the API refuses with a precise one.
        config.setUriCompliance(UriCompliance.DEFAULT.with("economy-api",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.BAD_PERCENT_ENCODING, UriCompliance.Violation.BAD_UTF8_ENCODING,
                UriCompliance.Violation.TRUNCATED_UTF8_ENCODING));
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(WILDCARDS.contains(options.host()) ? null : options.host());
        connector.setPort(options.port());
        // A write may wait up to 30 s for its result with nothing on the wire; the default 30 s idle
        // timeout would cut it off.
        connector.setIdleTimeout(WriteEndpoint.MAX_WAIT_MS + WriteEndpoint.SUBMITTER_GRACE_MS + 15_000);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());
        try {
            connector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for HTTP on " + options.host() + ":" + options.port()
                    + " (http.port, ECONOMY_HTTP_PORT): " + e.getMessage(), e);
        }
        String url = options.advertisedUrl().map(URI::toString)
                .orElseGet(() -> "http://" + advertisedHost(options.host()) + ":" + connector.getLocalPort());
        return new HttpEndpoint(server, connector, url, options.tokens());
    }

    /** Begins answering the query API of the economy the worker runs, health and metrics; no writes. */
    public void start(ShardDirectory shards, Economy economy, Supplier<Health> readiness,
            Supplier<String> prometheusText) {
        start(shards, economy, readiness, prometheusText, Optional.empty());
    }

    /**
     * Begins answering the query API, health and metrics, and writes through {@code writes} (empty: this
     * process cannot publish them; they are refused anyway while no write token is set).
     */
    public void start(ShardDirectory shards, Economy economy, Supplier<Health> readiness,
            Supplier<String> prometheusText, Optional<RequestSubmitter> writes) {
        UserQueries queries = new UserQueries(new ShardLocator(shards, url), new EventEncoder(), economy,
                Clock.systemUTC());
        server.setHandler(new ApiHandler(queries, new Operations(readiness, prometheusText),
                new WriteEndpoint(tokens, writes), tokens, JsonBodies.economy(economy)));
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP server on port " + port() + ": " + e, e);
        }
    }

    /** The bound port (the chosen one when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL that other workers send clients to, without a trailing slash. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP server: " + e, e);
        }
    }

    private static String advertisedHost(String bindHost) {
        if (!WILDCARDS.contains(bindHost)) {
            return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
