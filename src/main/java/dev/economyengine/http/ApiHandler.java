package dev.economyengine.http;

import dev.economyengine.ledger.RequestType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Routes each request to its endpoint and writes the reply: the queries (GET), guarded by the read
 * token when one is set; the writes (POST), always guarded by the write token; health and metrics, never
 * guarded.
 */
final class ApiHandler extends Handler.Abstract {
    private final UserQueries queries;
    private final Operations operations;
    private final WriteEndpoint writes;
    private final AccessTokens tokens;
    /** The economy the worker runs, written once: it does not change while the process runs. */
    private final byte[] economy;

    ApiHandler(UserQueries queries, Operations operations, WriteEndpoint writes, AccessTokens tokens, byte[] economy) {
        this.queries = queries;
        this.operations = operations;
        this.writes = writes;
        this.tokens = tokens;
        this.economy = economy;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        RequestTarget target;
        try {
            target = RequestTarget.parse(rawPath, request.getHttpURI().getQuery());
        } catch (RequestTarget.MalformedTargetException e) {
            send(Reply.error(400, "malformed_url", "the URL cannot be decoded: " + e.getMessage()), response, callback);
            return true;
        }
        Optional<RequestType> write = WriteEndpoint.route(target);
        if (write.isPresent() && HttpMethod.POST.is(method)) {
            writes.write(write.get(), target, authorization, request.getLength(),
                            () -> body(request))
                    .whenComplete((reply, failure) -> send(reply != null ? reply
                            : Reply.error(500, "internal_error", "the write failed: " + failure), response, callback));
            return true;
        }
        if (write.isPresent()) {
            send(Reply.error(405, "method_not_allowed", method + " is not allowed here; use POST")
                    .withHeader("Allow", "POST"), response, callback);
            return true;
        }
        send(route(method, rawPath, target, authorization), response, callback);
        return true;
    }

    private Reply route(String method, String rawPath, RequestTarget target, String authorization) {
        Optional<Supplier<Reply>> endpoint = endpoint(target);
        if (endpoint.isEmpty()) {
            return Reply.error(404, "unknown_route", "no such resource: " + rawPath);
        }
        if (!HttpMethod.GET.is(method)) {
            return Reply.error(405, "method_not_allowed", method + " is not allowed here; use GET")
                    .withHeader("Allow", "GET");
        }
        if (isQuery(target)) {
            Optional<Reply> refused = tokens.refuseRead(authorization);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        return endpoint.get().get();
    }

    /**
     * The request's body, at most {@link WriteEndpoint#MAX_BODY_BYTES}. Marked blocking: what follows may
     * publish to Kafka, which Jetty must not run on a thread that serves its connections.
     */
    private static CompletableFuture<byte[]> body(Request request) {
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        Content.Source.asByteArrayAsync(request, WriteEndpoint.MAX_BODY_BYTES,
                Promise.Invocable.from(Invocable.InvocationType.BLOCKING, (bytes, failure) -> {
                    if (failure != null) {
                        body.completeExceptionally(failure);
                    } else {
                        body.complete(bytes);
                    }
                }));
        return body;
    }

    /** The query API, which the read token guards; health and metrics stay open for orchestrators. */
    private static boolean isQuery(RequestTarget target) {
        return !target.segments().isEmpty() && target.segments().get(0).equals("v1");
    }

    private Optional<Supplier<Reply>> endpoint(RequestTarget target) {
        if (target.is("health", "live")) {
            return Optional.of(operations::live);
        }
        if (target.is("health", "ready")) {
            return Optional.of(operations::ready);
        }
        if (target.is("metrics")) {
            return Optional.of(operations::metrics);
        }
        if (target.is("v1", "economy")) {
            return Optional.of(() -> Reply.json(200, economy));
        }
        List<String> path = target.segments();
        boolean userPath = path.size() >= 4 && path.get(0).equals("v1") && path.get(1).equals("users")
                && !path.get(2).isEmpty();
        if (!userPath) {
            return Optional.empty();
        }
        String userId = path.get(2);
        if (path.size() == 4 && path.get(3).equals("balance")) {
            return Optional.of(() -> queries.balance(userId, target));
        }
        if (path.size() == 4 && path.get(3).equals("transactions")) {
            return Optional.of(() -> queries.transactions(userId, target));
        }
        if (path.size() == 4 && path.get(3).equals("limits")) {
            return Optional.of(() -> queries.limits(userId, target));
        }
        if (path.size() == 5 && path.get(3).equals("requests") && !path.get(4).isEmpty()) {
            return Optional.of(() -> queries.result(userId, path.get(4), target));
        }
        return Optional.empty();
    }

    private static void send(Reply reply, Response response, Callback callback) {
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            response.getHeaders().put(header.getKey(), header.getValue());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
}
