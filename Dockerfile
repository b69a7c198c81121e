# Production image for the site: one static binary (content and assets are
# embedded) on a distroless base, run as the distroless "nonroot" user.
#
#   docker build -t site .            (or: buildah build --format docker -t site .)
#   docker run -p 8080:8080 -e BASE_URL=https://example.com site
#
# Neither stage runs a shell: every RUN is exec form, so the build stage works
# on any image that has a Go toolchain on PATH, and the runtime image has no
# shell at all (the HEALTHCHECK runs the binary's own "healthcheck" command).
# Build with the docker image format (buildah: --format docker); the OCI format
# has no HEALTHCHECK field and buildah drops it with a warning.
# scripts/container-check.sh builds and checks this file without a registry.

# The Go version must match the go line of go.mod exactly.
ARG GO_IMAGE=golang:1.26.8-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

# With BuildKit (docker buildx --platform linux/arm64,...) the build stage runs
# on the build machine's platform and cross-compiles, with no emulation.
# Builders that do not set BUILDPLATFORM (buildah 1.28) run it on the target
# platform; TARGETOS/TARGETARCH are set whenever --platform is given.
FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
ARG TARGETOS
ARG TARGETARCH
# Module download settings; empty means Go's defaults (proxy.golang.org).
ARG GOPROXY=
ARG GOSUMDB=
ARG GOPRIVATE=
ARG GOFLAGS=
# GOTOOLCHAIN=local: if GO_IMAGE is older than go.mod requires, fail rather
# than download a toolchain. Empty GOOS/GOARCH mean the build platform's.
ENV CGO_ENABLED=0 \
    GOTOOLCHAIN=local \
    GOOS=${TARGETOS} \
    GOARCH=${TARGETARCH}
WORKDIR /src

# Dependencies first: this layer is rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN ["go", "mod", "download"]

# The build context has no .git, so the binary cannot read its revision from
# Git; the build arguments stamp it instead, and `site version` prints the same
# values as the labels below. An exec-form RUN expands no variables, but ENV
# does, and GOFLAGS takes one quoted -ldflags (strip, and set main.stamp).
#   --build-arg VERSION=v1.2.0 --build-arg REVISION=$(git rev-parse HEAD)
#   --build-arg CREATED=$(git log -1 --format=%cI)
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
COPY . .
ENV GOFLAGS="${GOFLAGS} '-ldflags=-s -w -X=main.stamp=${VERSION},${REVISION},${CREATED}'"
RUN ["go", "build", "-trimpath", "-o", "/out/site", "./cmd/site"]
# The newsletter's data folder (SQLite and, without SMTP_URL, the .eml outbox),
# copied below owned by the non-root user. WORKDIR creates the empty folder
# without a shell or mkdir, which a minimal Go image may not have.
WORKDIR /out/data

FROM ${RUNTIME_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="site" \
      org.opencontainers.image.description="Product Manager vs Product Owner comparison guides: a single static Go binary with embedded content" \
      org.opencontainers.image.source="local" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
COPY --from=build /out/site /site
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
EXPOSE 8080
ENV LOG_FORMAT=json
# The server runs from / and keeps subscribers in ./data, that is /data: mount a
# volume there (or set DATABASE_URL for PostgreSQL) so they survive the container.
WORKDIR /
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s CMD ["/site", "healthcheck"]
ENTRYPOINT ["/site"]
