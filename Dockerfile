# syntax=docker/dockerfile:1.7
#
# Kopek's image: one image for every process; KOPEK_ROLES picks what a container runs (api, batch, scheduler,batch,
# or migrate alone: apply the database migrations and exit). Build and run:
#
#   docker build -t kopek .                          # the production image (the last stage, runtime)
#   docker build --target sandbox -t kopek-sandbox . # the simulated providers and ATOL (compose's sandbox service)
#
# The production image runs app/target/kopek-exec.jar, which carries no simulator, no demo data and no sandbox secret
# (ProductionJarIT); the sandbox target runs the demo module's jar with io.kopek.demo.SandboxServer as its main class.

ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG JRE_IMAGE=eclipse-temurin:25-jre
# The console (scheduler/console: React, TypeScript, Vite 8) is built by the scheduler module's Maven build with the
# Node.js and npm on the PATH (scheduler/console/check-node.sh: 20.19 or newer); they come from Node's own image.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS node

# ---- build: the production jar and the demo jar (for the sandbox), the console inside, tests left to CI ----------
FROM ${JDK_IMAGE} AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && node --version && npm --version
WORKDIR /src
COPY . .
# Maven's and npm's downloads stay in BuildKit's cache between builds, not in the image.
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.npm \
    ./mvnw -B -ntp package -pl app,demo -am -DskipTests -Dconsole.skip=false
# Spring Boot's layers (dependencies, the loader, Kopek's snapshot modules, the application): a release that changes
# only Kopek's code rebuilds the last two layers of the runtime image, not the 200 MB of libraries.
RUN java -Djarmode=tools -jar app/target/kopek-exec.jar extract --layers --destination /out/kopek \
 && cp demo/target/kopek-demo.jar /out/kopek-demo.jar

# ---- sandbox: YooKassa, Sber, Acme processing and ATOL Online simulated, for the compose file only --------------
FROM ${JRE_IMAGE} AS sandbox
RUN groupadd --system --gid 10001 kopek \
 && useradd --system --uid 10001 --gid kopek --home-dir /var/lib/kopek-sandbox --shell /usr/sbin/nologin kopek \
 && mkdir -p /var/lib/kopek-sandbox/registries && chown -R kopek:kopek /var/lib/kopek-sandbox
COPY --from=build /out/kopek-demo.jar /opt/kopek/kopek-demo.jar
ENV KOPEK_SANDBOX_REGISTRIES=/var/lib/kopek-sandbox/registries
USER 10001:10001
WORKDIR /var/lib/kopek-sandbox
EXPOSE 8101 8102 8103 8104
# Bash's /dev/tcp: each simulator's port takes a connection (no HTTP client in a JRE image, no JVM started per check).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "for p in 8101 8102 8103 8104; do exec 3<>/dev/tcp/127.0.0.1/$p || exit 1; exec 3>&-; done"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dloader.main=io.kopek.demo.SandboxServer", \
  "-cp", "/opt/kopek/kopek-demo.jar", "org.springframework.boot.loader.launch.PropertiesLauncher"]

# ---- runtime: the production image (the default target) ------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Kopek" \
      org.opencontainers.image.description="Billing, reconciliation and reporting for merchants in Russia: the API, batch and scheduler roles in one image (KOPEK_ROLES)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="eclipse-temurin:25-jre"
# A fixed uid, so that volumes (report files) and Kubernetes' runAsUser agree with the image.
RUN groupadd --system --gid 10001 kopek \
 && useradd --system --uid 10001 --gid kopek --home-dir /var/lib/kopek --shell /usr/sbin/nologin kopek \
 && mkdir -p /opt/kopek /var/lib/kopek/reports \
 && chown -R kopek:kopek /var/lib/kopek
WORKDIR /opt/kopek
COPY --from=build /out/kopek/dependencies/ ./
COPY --from=build /out/kopek/spring-boot-loader/ ./
COPY --from=build /out/kopek/snapshot-dependencies/ ./
COPY --from=build /out/kopek/application/ ./
COPY --chmod=0755 deploy/docker/healthcheck /usr/local/bin/kopek-healthcheck
# ECS JSON lines on the console for Filebeat; report files on a volume every api and batch process shares.
ENV KOPEK_PORT=8080 \
    KOPEK_LOGS_JSON=true \
    KOPEK_REPORTS_DIRECTORY=/var/lib/kopek/reports
USER 10001:10001
EXPOSE 8080
# Readiness over bash's /dev/tcp (deploy/docker/healthcheck): a JRE image has no curl or wget, and a JVM started for
# every check would cost more memory and CPU than the check is worth. The migrate role exits before any check.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["/usr/local/bin/kopek-healthcheck"]
# Exec form: java is PID 1's only process and gets SIGTERM itself, so Spring's graceful shutdown runs (requests in
# flight finish, batch runs stop at their next chunk: kopek.batch.stop-timeout). Memory follows the container's limit;
# JAVA_TOOL_OPTIONS adds JVM options without changing this line.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", \
  "-jar", "/opt/kopek/kopek-exec.jar"]
