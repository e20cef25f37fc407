# The release image: the static release binary on a distroless base (CA
# certificates, a non-root user, nothing else). The release workflow builds
# it from the binaries of .ci/release-build, one directory per platform:
#   dist/image/linux_amd64/zonesync, dist/image/linux_arm64/zonesync
# Use it from your DNS repository:
#   docker run --rm -v "$PWD:/work" -e CLOUDNS_AUTH_PASSWORD ghcr.io/zonesync/zonesync:1 plan
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETOS
ARG TARGETARCH
COPY ${TARGETOS}_${TARGETARCH}/zonesync /usr/local/bin/zonesync
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/zonesync"]
