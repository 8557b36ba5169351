package dev.economyengine.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Requests in the worker's wire format (the README's "Requests"): a JSON object with requestId, userId,
 * then the type's fields; optional fields are left out rather than sent as null.
 */
final class RequestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestJson() {
    }

    static byte[] earn(EarnRequest request) {
        ObjectNode body = identity(request.requestId(), request.userId());
        body.put("action", request.action());
        return optionalFields(body, request.reason(), request.metadata());
    }

    static byte[] spend(SpendRequest request) {
        ObjectNode body = identity(request.requestId(), request.userId());
        body.put("amount", request.amount());
        if (request.currency() != null) {
            body.put("currency", request.currency());
        }
        return optionalFields(body, request.reason(), request.metadata());
    }

    private static ObjectNode identity(String requestId, String userId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("requestId", requestId);
        body.put("userId", userId);
        return body;
    }

    private static byte[] optionalFields(ObjectNode body, String reason, Map<String, ?> metadata) {
        if (reason != null) {
            body.put("reason", reason);
        }
        if (metadata != null) {
            body.set("metadata", JSON.valueToTree(metadata));
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
