package dev.economyengine.app;

/** Replay cannot go on: Kafka, the changelog or a shard file is not as it must be. Exit code 1. */
final class ReplayFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplayFailure(String message) {
        super(message);
    }
}
