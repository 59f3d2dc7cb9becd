#!/usr/bin/env bash
# Adds a class-data-sharing archive to the server image Jib just built into the local daemon (mvn -Pimage
# -Dots.image.goal=dockerBuild): runs the training (CdsTraining) inside that image, so the archive matches the image's
# own JVM and class path exactly, then builds one more layer holding it, with the server started on it, under the
# same name. On Java 25+ (the default base) it is an AOT cache (JEP 483/514: classes loaded and linked, and method
# profiles; -XX:AOTCache), on older JVMs a dynamic CDS archive (-XX:SharedArchiveFile). Any other goal (a tarball, a registry push) leaves the image as Jib
# made it: there is no daemon image to train in. A JVM that cannot use the archive starts without it.
#   add-cds-archive.sh IMAGE GOAL
set -euo pipefail
image=$1
goal=${2:-dockerBuild}
if [ "$goal" != dockerBuild ]; then
  echo "add-cds-archive: goal $goal builds no image in the daemon; the image has no class-data-sharing archive"
  exit 0
fi
entrypoint=$(docker image inspect -f '{{json .Config.Entrypoint}}' "$image")
case $entrypoint in
  *SharedArchiveFile*|*AOTCache*) echo "add-cds-archive: $image already has an archive"; exit 0 ;;
  '["java",'*) ;;
  *) echo "add-cds-archive: unexpected entrypoint $entrypoint" >&2; exit 1 ;;
esac
major=$(docker run --rm --network none --entrypoint java "$image" -XX:-UsePerfData -version 2>&1 \
  | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [ "${major:-0}" -ge 25 ]; then
  file=onetimeshare-server.aot
  train=(-XX:AOTCacheOutput=/out/$file)   # one training run; the cache is assembled when it exits
  use=-XX:AOTCache=/app/cds/$file
else
  file=onetimeshare-server.jsa
  train=(-XX:ArchiveClassesAtExit=/out/$file -Xlog:cds=off -Xlog:cds+dynamic=off)
  use=-XX:SharedArchiveFile=/app/cds/$file
fi
archive=/app/cds/$file
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 777 "$work"
# the same JVM flags as the entrypoint, the class path from Jib's class-path file; the archive is written on exit
docker run --rm --network none -v "$work:/out" --entrypoint java "$image" -XX:-UsePerfData "${train[@]}" \
  -cp @/app/jib-classpath-file io.onetimeshare.examples.server.CdsTraining
test -s "$work/$file"
with_archive=$(printf '%s' "$entrypoint" | sed "s|^\\[\"java\",|[\"java\",\"$use\",|")
# /data (issue 36, finding 12): Jib can set a mode but not an owner, so its /data is 0777; here the server's user gets
# it, 0700, and only then is it declared a volume (a step after VOLUME would change an anonymous volume, not the image)
printf 'FROM %s\nCOPY %s %s\nUSER root\nRUN chown 65532:65532 /data && chmod 0700 /data\nUSER 65532:65532\nVOLUME ["/data"]\nENTRYPOINT %s\n' \
  "$image" "$file" "$archive" "$with_archive" > "$work/Dockerfile"
docker build -q -t "$image" "$work" >/dev/null
echo "add-cds-archive: $image now starts with $use ($(du -h "$work/$file" | cut -f1), Java $major)"
