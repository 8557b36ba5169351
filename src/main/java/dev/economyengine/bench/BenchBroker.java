package dev.economyengine.bench;

import dev.economyengine.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;

/**
 * The broker of a run, and how the run sees its CPU: an in-process broker by its threads, a broker in
 * a process of its own ({@link BrokerProcess}) by that process, an external one not at all.
 */
interface BenchBroker extends AutoCloseable {
    /** Where the broker runs. */
    enum Kind {
        IN_PROCESS("in-process"), PROCESS("a process of its own"), EXTERNAL("external");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** For the report: "in-process", "a process of its own", "external". */
        String description() {
            return description;
        }
    }

    Kind kind();

    String bootstrapServers();

    /** The broker's CPU so far, or {@link CpuMeter#UNKNOWN}. */
    CpuMeter cpu();

    /** Stops the broker if the run started it; an external one is left running. */
    @Override
    void close();

    /** A broker the run found running, named by the configuration: its CPU is out of sight. */
    record External(String bootstrapServers) implements BenchBroker {
        @Override
        public Kind kind() {
            return Kind.EXTERNAL;
        }

        @Override
        public CpuMeter cpu() {
            return CpuMeter.UNKNOWN;
        }

        @Override
        public void close() {}
    }

    /** The embedded broker in this process, its threads in a group of their own. */
    record InProcess(EmbeddedKafkaBroker broker, ThreadGroupCpu threads) implements BenchBroker {
        /** Starts one in {@code logDir}. */
        static InProcess start(Path logDir) {
            ThreadGroupCpu threads = new ThreadGroupCpu("bench-broker");
            try {
                return new InProcess(threads.callIn("bench-broker-start", () -> EmbeddedKafkaBroker.start(logDir, 0)),
                        threads);
            } catch (RuntimeException e) {
                threads.close();
                throw e;
            }
        }

        @Override
        public Kind kind() {
            return Kind.IN_PROCESS;
        }

        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public CpuMeter cpu() {
            return threads;
        }

        @Override
        public void close() {
            try {
                broker.close();
            } finally {
                threads.close();
            }
        }
    }
}
