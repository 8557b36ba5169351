package dev.economyengine.broker;

import dev.economyengine.lock.StartRefusedException;
import dev.economyengine.lock.DirectoryLock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Apache Kafka broker (KRaft, combined broker and controller).
 *
 * <p>Used by the product when no bootstrap servers are configured, so a newcomer can run the jar
 * with no Kafka installed, and by integration tests as a real broker (transactions and classic
 * consumer groups work against it). It only ever listens on 127.0.0.1.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LISTEN_RETRY = Duration.ofMillis(50);
    /** How often readiness asks the broker whether its quorum answers, and how long a silence it forgives. */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PROBE_STALE_AFTER = Duration.ofSeconds(5);
    /** Written by the storage formatter; its presence means the directory already holds a cluster. */
    private static final String META_PROPERTIES = "meta.properties";

    /** The broker's life: {@code health()} reads it from other threads. */
    private enum State { STARTING, RUNNING, SHUTTING_DOWN, STOPPED }

    /** Whether the broker is healthy, and why (or why not). */
    public record Health(boolean healthy, String reason) {}

    private final KafkaRaftServer server;
    private final int port;
    private final DirectoryLock lock;
    /** Made once the broker runs: its Admin client would otherwise warn while the broker starts. */
    private volatile QuorumProbe probe;
    private volatile State state = State.STARTING;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, DirectoryLock lock) {
        this.server = server;
        this.port = port;
        this.lock = lock;
    }

    /** As {@link #start(Path, int, String)}, for a broker of its own (tests, the benchmark). */
    public static EmbeddedKafkaBroker start(Path logDir, int port) {
        return start(logDir, port, "embedded Kafka broker");
    }

    /**
     * Locks logDir for this process ({@code owner} names the process to another that is refused),
     * formats it if it is not formatted yet (keeps existing data across restarts: a restart on the same
     * logDir must keep topics and records) and starts the broker on 127.0.0.1:port (port 0 = pick a free
     * port). Blocks until the broker accepts client connections. Throws {@link StartRefusedException},
     * before anything is written, if another process uses logDir or another program the port.
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, String owner) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        // First of all: a broker that formatted or opened a directory another broker uses would damage both.
        DirectoryLock lock = DirectoryLock.acquire(logDir, "Kafka log directory", owner,
                "stop it or give this broker another directory");
        try {
            return start(logDir, port, lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedKafkaBroker start(Path logDir, int port, DirectoryLock lock) {
        int clientPort = port == 0 ? freePort() : requireFree(port);
        // The controller port is internal to this process; nothing persists it (the quorum is
        // static, see below), so a fresh one on every start is fine.
        int controllerPort = freePort();
        Properties props = brokerProperties(logDir.toAbsolutePath(), clientPort, controllerPort);

        long startedAt = System.nanoTime();
        formatIfNeeded(logDir.toAbsolutePath(), props);

        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, clientPort, lock);
        try {
            server.startup();
        } catch (Throwable e) {
            // Typical cause: the port was taken since it was checked. Scala code may also throw
            // undeclared checked exceptions, so catch everything.
            closeAfterFailedStart(broker, e);
            if (e instanceof Error error) {
                throw error;
            }
            if (rootCause(e) instanceof BindException) {
                throw portInUse(clientPort, rootCause(e));
            }
            throw new IllegalStateException("Embedded Kafka broker failed to start on " + broker.bootstrapServers()
                    + " with logDir " + logDir + ": " + describe(e), e);
        }
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            closeAfterFailedStart(broker, e);
            throw e;
        }
        broker.probe = new QuorumProbe(broker.bootstrapServers(), PROBE_INTERVAL, PROBE_STALE_AFTER);
        broker.probe.start();
        broker.state = State.RUNNING;
        log.info("Embedded Kafka broker ready on {} (logDir {}) in {} ms",
                broker.bootstrapServers(), logDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        return broker;
    }

    /**
     * Checked before anything is written, so that a port in use is refused in one line (rather than by
     * Kafka, half-started, with a page of stack trace). SO_REUSEADDR as Kafka binds it, so that a port
     * whose last connections are in TIME_WAIT counts as free, as it is for Kafka.
     */
    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, port));
            return port;
        } catch (IOException e) {
            throw portInUse(port, e);
        }
    }

    private static StartRefusedException portInUse(int port, Throwable cause) {
        return new StartRefusedException("cannot listen for the embedded Kafka broker on " + HOST + ":" + port
                + " (embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT): " + cause.getMessage() + "; stop what"
                + " listens there or set ECONOMY_EMBEDDED_KAFKA_PORT to another port (0 picks a free one)");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** Kafka wraps the useful part (e.g. "Address already in use") a few causes deep. */
    private static String describe(Throwable e) {
        Throwable root = rootCause(e);
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (caused by " + root + ")";
    }

    /** A half-started broker holds the logDir lock, its threads and its sockets; release them. */
    private static void closeAfterFailedStart(EmbeddedKafkaBroker broker, Throwable cause) {
        try {
            broker.close();
        } catch (Throwable closeFailure) {
            cause.addSuppressed(closeFailure);
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Healthy while running and answering questions about its metadata quorum (see {@link QuorumProbe});
     * not while starting, shutting down or stopped, nor once it has not answered for a few seconds.
     */
    public Health health() {
        return switch (state) {
            case STARTING -> new Health(false, "embedded Kafka broker is starting");
            case SHUTTING_DOWN -> new Health(false, "embedded Kafka broker is shutting down");
            case STOPPED -> new Health(false, "embedded Kafka broker has stopped");
            case RUNNING -> probe.problem().map(problem -> new Health(false, problem))
                    .orElseGet(() -> new Health(true, "embedded Kafka broker answers"));
        };
    }

    /** Shuts down and waits, then releases logDir; idempotent; does not delete logDir. */
    @Override
    public synchronized void close() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.SHUTTING_DOWN;
        try {
            // First, so that its client does not warn about a broker going away.
            if (probe != null) {
                probe.close();
            }
            server.shutdown();
            server.awaitShutdown();
        } finally {
            state = State.STOPPED;
            lock.close();
        }
    }

    private static Properties brokerProperties(Path logDir, int clientPort, int controllerPort) {
        Properties p = new Properties();
        // One JVM plays both roles, so no separate controller process is needed.
        p.put("process.roles", "broker,controller");
        // Fixed id: there is only one node, and it must match the id stored in meta.properties on restart.
        p.put("node.id", String.valueOf(NODE_ID));
        // Loopback only: the embedded broker must never be reachable from the network.
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        // Clients are told to come back to exactly the address they used; the controller listener is not advertised to clients.
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        // Both listeners are plain TCP on loopback.
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        // Tells KRaft which listener carries controller traffic.
        p.put("controller.listener.names", "CONTROLLER");
        // Replication traffic (none with one node, but required) goes over the client listener.
        p.put("inter.broker.listener.name", "PLAINTEXT");
        // Static single-voter quorum: unlike a dynamic (--standalone) quorum it does not record the
        // controller's port in the metadata log, so a restart may pick a different controller port.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        // All data (and, because metadata.log.dir is unset, the KRaft metadata log) lives in logDir.
        p.put("log.dirs", logDir.toString());
        // Only one replica exists, so internal topics cannot ask for more.
        p.put("offsets.topic.replication.factor", "1");
        // Few partitions for __consumer_offsets: creating 50 of them makes start-up slow on 2 cores.
        p.put("offsets.topic.num.partitions", "5");
        // Only one replica exists for __transaction_state.
        p.put("transaction.state.log.replication.factor", "1");
        // A transaction must be able to commit with the single replica in sync.
        p.put("transaction.state.log.min.isr", "1");
        // Few partitions for __transaction_state, for the same start-up reason as the offsets topic.
        p.put("transaction.state.log.num.partitions", "5");
        // Only one replica exists for the share-group state topic (created only if share groups are used).
        p.put("share.coordinator.state.topic.replication.factor", "1");
        // Share-group state writes must succeed with the single replica.
        p.put("share.coordinator.state.topic.min.isr", "1");
        // The first consumer in a group gets its assignment at once instead of after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics we create without a partition count get one partition.
        p.put("num.partitions", "1");
        // The application creates its topics explicitly; a typo must not silently create a topic.
        p.put("auto.create.topics.enable", "false");
        // A dead worker's open transaction is aborted within a second of its timeout, not ten (the
        // default check interval), so its partitions are processing again on another worker sooner.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // The default 128 MiB compaction buffer is far more heap than a dev broker needs.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private static void formatIfNeeded(Path logDir, Properties props) {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            return; // already formatted: formatting again would refuse (or wipe the cluster identity)
        }
        Path configFile = null;
        ByteArrayOutputStream toolOutput = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            // StorageTool only reads its configuration from a file. Keep it out of logDir so the
            // log directory holds nothing but Kafka's own files.
            configFile = Files.createTempFile("embedded-kafka-", ".properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "embedded Kafka broker, used only to format " + logDir);
            }
            String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()};
            int exitCode;
            try (PrintStream out = new PrintStream(toolOutput, true, StandardCharsets.UTF_8)) {
                // execute() reports through its return value or an exception; it never calls System.exit.
                exitCode = StorageTool.execute(args, out);
            }
            if (exitCode != 0) {
                throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed (exit code "
                        + exitCode + "): " + toolOutput.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare Kafka storage in " + logDir, e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            // FormatterException and TerseFailure carry the useful message; Scala may also throw
            // undeclared checked exceptions, hence Exception rather than RuntimeException.
            throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed: " + e.getMessage(), e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
    }

    /** startup() returns once the server threads run; wait until a client actually gets an answer. */
    private void awaitReady() {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        awaitListening(deadline);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker on port " + port, e);
                } catch (Exception e) {
                    last = e; // not up yet; the Admin client's own backoff paces the retries
                }
            }
        }
        throw new IllegalStateException("Embedded Kafka broker on port " + port + " did not accept client connections within "
                + READY_TIMEOUT.toSeconds() + " s", last);
    }

    /**
     * The client listener opens late in startup(); until it does, an Admin client would warn at every
     * attempt that it cannot connect, on every normal start. A plain socket tries quietly.
     */
    private void awaitListening(long deadline) {
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1_000);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(LISTEN_RETRY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker on port "
                            + port, e);
                }
            }
        }
    }

    /** Binds an ephemeral port on loopback and releases it; there is a small race, acceptable for a dev broker. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + HOST, e);
        }
    }
}
