# Tributary: the fat jar on a JRE, run as a non-root user.
#   docker build -t tributary .
#   docker run -p 8080:8080 tributary            (every role, embedded PostgreSQL and Redis in /data)
# Options are flags after the image name or TRIBUTARY_* environment variables (see --help).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY webroot webroot
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tributary && useradd --system --uid 10001 --gid tributary --home-dir /data tributary \
    && mkdir -p /data && chown tributary:tributary /data
COPY --from=build /src/target/tributary.jar /opt/tributary/tributary.jar
USER tributary
WORKDIR /data
ENV TRIBUTARY_DATA_DIR=/data
# 8080 HTTP, 5701 Hazelcast, 6701 event bus, 8090 storage transfer (see the README's firewall table).
EXPOSE 8080 5701 6701 8090
VOLUME ["/data"]
# /ready is 200 when every role of the node is ready (bash's /dev/tcp: the JRE image has no curl).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
# Hazelcast on JDK 17 needs these JDK internals opened (as scripts/jvm-flags).
ENTRYPOINT ["java", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "-jar", "/opt/tributary/tributary.jar"]
