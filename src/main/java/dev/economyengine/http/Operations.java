package dev.economyengine.http;

import java.util.function.Supplier;

/** Health and metrics endpoints, for orchestrators and Prometheus. */
final class Operations {
    /** The Prometheus text exposition format that Micrometer writes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<Health> readiness;
    private final Supplier<String> prometheusText;

    Operations(Supplier<Health> readiness, Supplier<String> prometheusText) {
        this.readiness = readiness;
        this.prometheusText = prometheusText;
    }

    /** 200 as long as the process answers at all. */
    Reply live() {
        return Reply.json(200, JsonBodies.live());
    }

    Reply ready() {
        Health now = readiness.get();
        return now.ready()
                ? Reply.json(200, JsonBodies.ready(now.reason()))
                : Reply.error(503, "not_ready", now.reason())
                        .withHeader("Retry-After", UserQueries.RETRY_AFTER_SECONDS);
    }

    Reply metrics() {
        return Reply.text(200, PROMETHEUS_TEXT, prometheusText.get());
    }
}
