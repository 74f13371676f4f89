# DockerMate as a container: Deno from its official `bin` image on a Debian slim base, with the
# Docker CLI and Compose v2 (stacks run `docker compose`). Runs as an unprivileged user; give it
# the Docker socket's group at run time (docs/install.md):
#
#   docker run -d --name dockermate -p 5000:5000 \
#     -v /var/run/docker.sock:/var/run/docker.sock \
#     --group-add "$(stat -c %g /var/run/docker.sock)" \
#     -v dockermate-data:/data dockermate
#
# Builds with BuildKit and with the legacy builder alike (no heredocs, no cache mounts).
ARG DENO_VERSION=2.9.6
ARG DOCKER_VERSION=26.1
ARG COMPOSE_VERSION=2.26.1

FROM denoland/deno:bin-${DENO_VERSION} AS deno
FROM docker:${DOCKER_VERSION}-cli AS docker-cli
FROM docker/compose-bin:v${COMPOSE_VERSION} AS compose

# ---- build: npm dependencies (cached until deno.json or deno.lock change), vendored assets ----
FROM debian:bookworm-slim AS build
COPY --from=deno /deno /usr/local/bin/deno
# Deno's own roots, plus the base image's (a base image behind a TLS-inspecting proxy holds its CA).
ENV DENO_DIR=/deno-dir DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 DENO_TLS_CA_STORE=mozilla,system
WORKDIR /app
COPY deno.json deno.lock ./
# The packages' registry metadata go along to the image: without them Deno asks the registry
# again at every start, and a start without internet would fail.
RUN deno install --frozen --quiet \
 && mkdir /deno-metadata \
 && cd /deno-dir && find npm -name registry.json -exec cp --parents {} /deno-metadata/ \;
# What the server loads, in a folder of its own: the same lockfile's versions, from the cache
# just filled (no download), without the development-only packages (scripts/runtime-config.ts).
COPY scripts/runtime-config.ts /tmp/
RUN mkdir /runtime && cp deno.lock /runtime/ \
 && deno run --allow-read --allow-write /tmp/runtime-config.ts deno.json /runtime/deno.json \
 && cd /runtime && deno install --quiet
COPY . .
RUN deno run --allow-read --allow-env --allow-run --allow-write=static/vendor scripts/vendor.ts

# ---- the image ----
FROM debian:bookworm-slim
COPY --from=deno /deno /usr/local/bin/deno
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=compose /docker-compose /usr/local/lib/docker/cli-plugins/docker-compose

# An unprivileged user; /data is its own (a new named volume starts with this owner and mode).
RUN groupadd --gid 10001 dockermate \
 && useradd --no-log-init --uid 10001 --gid dockermate --home-dir /home/dockermate --create-home \
      --shell /usr/sbin/nologin dockermate \
 && install -d -o dockermate -g dockermate -m 0700 /data

WORKDIR /app
# node_modules first: an image rebuilt for a code change reuses this layer.
COPY --from=build /runtime/node_modules ./node_modules
COPY --from=build --chown=dockermate:dockermate /deno-metadata /home/dockermate/.cache/deno
COPY . .
COPY --from=build /app/static/vendor ./static/vendor
COPY --from=build /runtime/deno.json /runtime/deno.lock ./

ENV DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=5000 \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_NO_PROMPT=1 \
    DENO_TLS_CA_STORE=mozilla,system \
    DENO_DIR=/home/dockermate/.cache/deno
# Last, so that build arguments do not invalidate the layers above.
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="DockerMate" \
      org.opencontainers.image.description="A small, safe web UI for one home lab's Docker host: containers, stacks, images, logs, updates that roll back" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"

USER dockermate
VOLUME /data
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/app/scripts/healthcheck.sh"]
# The launcher runs the server with the narrowest permissions its configuration allows
# (scripts/permissions.ts) and passes signals on. Other commands take the place of `serve`:
# `docker exec -it dockermate deno run -A /app/scripts/launch.ts reset-password`.
ENTRYPOINT ["deno", "run", "--allow-env", "--allow-read", "--allow-run", "/app/scripts/launch.ts"]
CMD ["serve"]
