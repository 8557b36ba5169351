package dev.economyengine.http;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the API listens and how others reach it.
 *
 * @param host the address to bind; 0.0.0.0 for every interface
 * @param port 0 for a free port, chosen when bound
 * @param advertisedUrl the base URL other workers send clients to; empty: derived from the bound address
 * @param tokens the bearer tokens of writes and reads
 */
public record HttpOptions(String host, int port, Optional<URI> advertisedUrl, AccessTokens tokens) {
    public HttpOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(advertisedUrl, "advertisedUrl");
        Objects.requireNonNull(tokens, "tokens");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
        }
    }

    /** No tokens: reads open, writes refused. */
    public HttpOptions(String host, int port, Optional<URI> advertisedUrl) {
        this(host, port, advertisedUrl, AccessTokens.none());
    }
}
