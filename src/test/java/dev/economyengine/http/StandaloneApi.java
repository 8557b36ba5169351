package dev.economyengine.http;

import dev.economyengine.ledger.Economy;
import dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners;
import dev.economyengine.messaging.OwnedShards;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The real HTTP server on a free loopback port, without a worker: no shard is live here (a test may say
 * that one is held in some other state), the partition owners come from a {@link SimulatedGroup},
 * readiness and metrics are whatever the test sets.
 */
final class StandaloneApi implements AutoCloseable {
    static final int PARTITIONS = 4;

    final OwnedShards owned = new OwnedShards(PARTITIONS);
    final PartitionOwners owners = new PartitionOwners();
    /** Partitions held here but not live, with the name of their state. */
    final Map<Integer, String> notLive = new ConcurrentHashMap<>();
    final AtomicReference<Health> readiness = new AtomicReference<>(new Health(false, "joining the consumer group"));
    final AtomicReference<Supplier<String>> metrics = new AtomicReference<>(() -> "# no metrics\n");
    private final HttpEndpoint endpoint;

    StandaloneApi() {
        this(AccessTokens.none(), Optional.empty());
    }

    /** With these tokens, and writes handed to {@code writes}. */
    StandaloneApi(AccessTokens tokens, Optional<RequestSubmitter> writes) {
        endpoint = HttpEndpoint.bind(new HttpOptions("127.0.0.1", 0, Optional.empty(), tokens));
        endpoint.start(new Directory(), Economy.coinsOnly(), readiness::get, () -> metrics.get().get(), writes);
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

    /** The partitioner of the real worker, the states the test sets, the simulated group's owners. */
    private final class Directory implements ShardDirectory {
        @Override
        public int partitionOf(String userId) {
            return owned.partitionOf(userId);
        }

        @Override
        public Local local(int partition) {
            String state = notLive.get(partition);
            return state == null ? new Local.Absent() : new Local.NotLive(state);
        }

        @Override
        public Optional<String> ownerOf(int partition) {
            return owners.ownerOf(partition);
        }

        @Override
        public boolean ownersSettled() {
            return owners.settled();
        }
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
