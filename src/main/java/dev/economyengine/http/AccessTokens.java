package dev.economyengine.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * The bearer tokens that guard the API: a write token, without which writes are refused, and an optional
 * read token, without which the query API ({@code /v1/...}) is open. The write token reads too: a service
 * that writes must be able to read the result it was promised. Health checks and metrics are never
 * guarded, so that orchestrators and Prometheus need no secret.
 *
 * <p>Only digests of the tokens are kept, and a presented token is compared by its digest with
 * {@link MessageDigest#isEqual}, in time that depends neither on where the two differ nor on the
 * token's length. {@link #toString()} never shows a token.
 */
public final class AccessTokens {
    static final String ENABLE_WRITES = "set http.write-token (ECONOMY_HTTP_WRITE_TOKEN) and send it as"
            + " 'Authorization: Bearer <token>'";
    private static final String BEARER = "bearer ";

    private final Optional<byte[]> writeDigest;
    private final Optional<byte[]> readDigest;

    private AccessTokens(Optional<byte[]> writeDigest, Optional<byte[]> readDigest) {
        this.writeDigest = writeDigest;
        this.readDigest = readDigest;
    }

    /** No tokens: writes are refused, reads are open. */
    public static AccessTokens none() {
        return new AccessTokens(Optional.empty(), Optional.empty());
    }

    public static AccessTokens of(Optional<String> writeToken, Optional<String> readToken) {
        return new AccessTokens(writeToken.map(AccessTokens::digest), readToken.map(AccessTokens::digest));
    }

    /** Whether writes are enabled at all. */
    public boolean writesEnabled() {
        return writeDigest.isPresent();
    }

    /** The refusal of a write carrying this Authorization header (null when absent), if it is refused. */
    Optional<Reply> refuseWrite(String authorization) {
        if (writeDigest.isEmpty()) {
            return Optional.of(Reply.error(403, "writes_disabled", "writes are disabled on this worker; to enable"
                    + " them, " + ENABLE_WRITES));
        }
        return refuse(authorization, "a write", writeDigest.get(), null);
    }

    /** The refusal of a query carrying this Authorization header, if reads are guarded and it is refused. */
    Optional<Reply> refuseRead(String authorization) {
        if (readDigest.isEmpty()) {
            return Optional.empty();
        }
        return refuse(authorization, "a query", readDigest.get(), writeDigest.orElse(null));
    }

    private static Optional<Reply> refuse(String authorization, String what, byte[] expected, byte[] alsoAccepted) {
        Optional<String> presented = bearerToken(authorization);
        if (presented.isEmpty()) {
            return Optional.of(Reply.error(401, "unauthorized", what + " needs the header 'Authorization: Bearer"
                    + " <token>'").withHeader("WWW-Authenticate", "Bearer realm=\"economy-engine\""));
        }
        byte[] digest = digest(presented.get());
        boolean accepted = MessageDigest.isEqual(digest, expected)
                | (alsoAccepted != null && MessageDigest.isEqual(digest, alsoAccepted));
        return accepted ? Optional.empty()
                : Optional.of(Reply.error(403, "forbidden", "the bearer token is not valid for " + what));
    }

    /** The token of an {@code Authorization: Bearer <token>} header; the scheme is case-insensitive. */
    private static Optional<String> bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AccessTokens[write=" + (writeDigest.isPresent() ? "(set)" : "(unset)")
                + ", read=" + (readDigest.isPresent() ? "(set)" : "(unset)") + "]";
    }
}
