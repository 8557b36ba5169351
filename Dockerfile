# Builds the worker image: docker build -t economy-engine .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY config config
COPY src src
# The client library's sources: compiled into the worker, and built as their own artifact.
COPY client client
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# curl for the health check on /health/ready (docker-compose.yml); the base image has neither curl nor wget.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# The worker runs as a user of its own, not root, and may write only its data directory. A fixed uid, so
# that a directory mounted from the host can be given to it (chown 10001).
RUN groupadd --system --gid 10001 economy \
    && useradd --system --uid 10001 --gid economy --no-create-home --home-dir /var/lib/economy-engine economy \
    && mkdir -p /var/lib/economy-engine \
    && chown economy:economy /var/lib/economy-engine
WORKDIR /app
COPY --from=build /src/target/economy-engine.jar /app/economy-engine.jar
COPY config /app/config
ENV ECONOMY_DATA_DIR=/var/lib/economy-engine
# Declared after the chown: a build may discard what later steps change in a volume's directory, and a
# new named volume takes the owner the directory has in the image.
VOLUME /var/lib/economy-engine
USER economy
# The query API, health checks and metrics.
EXPOSE 8080
# The JVM forwards SIGTERM to the shutdown hook: the batch in hand is finished and committed.
ENTRYPOINT ["java", "-jar", "/app/economy-engine.jar"]
CMD ["run"]
