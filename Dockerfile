# Builds the worker image: docker build -t economy-engine .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY config config
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/economy-engine.jar /app/economy-engine.jar
COPY config /app/config
ENV ECONOMY_DATA_DIR=/var/lib/economy-engine
VOLUME /var/lib/economy-engine
# The query API, health checks and metrics.
EXPOSE 8080
# The JVM forwards SIGTERM to the shutdown hook: the batch in hand is finished and committed.
ENTRYPOINT ["java", "-jar", "/app/economy-engine.jar"]
CMD ["run"]
