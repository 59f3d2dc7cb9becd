#!/usr/bin/env bash
# Builds the two local images the container tests use, since no image registry is reachable here: a Debian
# bookworm minbase root filesystem (debootstrap) with Debian's openjdk-17-jre-headless and redis-server, imported as
#   ots-test-base:bookworm   the JRE base the server image is built on (Jib: docker://ots-test-base:bookworm)
#   ots-test-redis:bookworm-2  Redis 7 from Debian, standing in for the official redis:7-alpine (like it, /data
#                              belongs to the redis user, so Compose can run Redis as that user with no capabilities)
# Cached: does nothing when both images exist. Needs root, debootstrap and a running Docker daemon.
set -euo pipefail
if docker image inspect ots-test-base:bookworm >/dev/null 2>&1 \
    && docker image inspect ots-test-redis:bookworm-2 >/dev/null 2>&1; then
  exit 0
fi
root=$(mktemp -d /tmp/ots-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "build-test-bases: debootstrap bookworm (openjdk-17-jre-headless, redis-server) into $root"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,redis-server bookworm "$root" \
  http://deb.debian.org/debian >/dev/null
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
chroot "$root" install -d -o redis -g redis -m 0700 /data
path='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
tar -C "$root" -c . | docker import -c "$path" - ots-test-base:bookworm >/dev/null
tar -C "$root" -c . | docker import -c "$path" -c 'WORKDIR /data' -c 'CMD ["redis-server"]' - ots-test-redis:bookworm-2 \
  >/dev/null
echo "build-test-bases: imported ots-test-base:bookworm and ots-test-redis:bookworm-2"
