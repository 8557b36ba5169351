package dev.economyengine.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's errors as the API's JSON, {@code {"error","message"}}, in place of its HTML pages: requests
 * Jetty refuses before they reach the API (a malformed request line, a URL it cannot parse, a URI or
 * headers too large, an unsupported HTTP version) and anything the API itself failed on. Jetty 12 sends
 * all of these, parser errors included, through the server's error handler.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        byte[] body = badPercentEncoding(code, cause)
                ? JsonBodies.error("malformed_url",
                        "the URL cannot be decoded: a '%' is not followed by two hex digits")
                : JsonBodies.error(errorName(code), message(code, message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Reply.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Jetty's URI parser reports a bad escape as a bare 400 caused by a NumberFormatException. */
    private static boolean badPercentEncoding(int code, Throwable cause) {
        for (Throwable t = cause; code == 400 && t != null; t = t.getCause()) {
            if (t instanceof NumberFormatException) {
                return true;
            }
        }
        return false;
    }

    static String errorName(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "unknown_route";
            case 405 -> "method_not_allowed";
            case 413 -> "content_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            case 505 -> "http_version_not_supported";
            default -> "http_" + status;
        };
    }

    private static String message(int status, String reason) {
        if (reason != null && !reason.isBlank()) {
            return reason;
        }
        return switch (status) {
            case 414 -> "the request line is too long";
            case 431 -> "the request headers are too large";
            case 500 -> "the server failed to answer the request";
            default -> "the request cannot be served (HTTP " + status + ")";
        };
    }
}
