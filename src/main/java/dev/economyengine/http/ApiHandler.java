package dev.economyengine.http;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Routes each request to its endpoint and writes the reply. Every route is GET only. */
final class ApiHandler extends Handler.Abstract {
    private final UserQueries queries;
    private final Operations operations;
    /** The economy the worker runs, written once: it does not change while the process runs. */
    private final byte[] economy;

    ApiHandler(UserQueries queries, Operations operations, byte[] economy) {
        this.queries = queries;
        this.operations = operations;
        this.economy = economy;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        send(route(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery()),
                response, callback);
        return true;
    }

    Reply route(String method, String rawPath, String rawQuery) {
        RequestTarget target;
        try {
            target = RequestTarget.parse(rawPath, rawQuery);
        } catch (RequestTarget.MalformedTargetException e) {
            return Reply.error(400, "malformed_url", "the URL cannot be decoded: " + e.getMessage());
        }
        Optional<Supplier<Reply>> endpoint = endpoint(target);
        if (endpoint.isEmpty()) {
            return Reply.error(404, "unknown_route", "no such resource: " + rawPath);
        }
        if (!HttpMethod.GET.is(method)) {
            return Reply.error(405, "method_not_allowed", method + " is not allowed here; use GET")
                    .withHeader("Allow", "GET");
        }
        return endpoint.get().get();
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
