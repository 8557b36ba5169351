package dev.economyengine.http;

import dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.messaging.Worker;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The real HTTP server on a free loopback port, without a worker: no shard is open here, the partition
 * owners come from a {@link SimulatedGroup}, readiness and metrics are whatever the test sets.
 */
final class StandaloneApi implements AutoCloseable {
    static final int PARTITIONS = 4;

    final OwnedShards owned = new OwnedShards(PARTITIONS);
    final PartitionOwners owners = new PartitionOwners();
    final AtomicReference<Worker.Readiness> readiness =
            new AtomicReference<>(new Worker.Readiness(false, "joining the consumer group"));
    final AtomicReference<Supplier<String>> metrics = new AtomicReference<>(() -> "# no metrics\n");
    private final HttpEndpoint endpoint;

    StandaloneApi() {
        endpoint = HttpEndpoint.bind(new HttpOptions("127.0.0.1", 0, Optional.empty()));
        endpoint.start(owned, owners, readiness::get, () -> metrics.get().get());
    }

    String url() {
        return endpoint.url();
    }

    int port() {
        return endpoint.port();
    }

    ApiClient client() {
        return new ApiClient(url());
    }

    /** A user id whose partition is the given one. */
    String userIn(int partition) {
        for (int i = 0; ; i++) {
            String user = "user-" + i;
            if (owned.partitionOf(user) == partition) {
                return user;
            }
        }
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
