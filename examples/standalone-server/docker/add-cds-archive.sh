#!/usr/bin/env bash
# Adds a class-data-sharing archive to the server image Jib just built into the local daemon (mvn -Pimage
# -Dots.image.goal=dockerBuild): runs the training (CdsTraining) inside that image, so the archive matches the image's
# own JVM and class path exactly, then builds one more layer holding it, with the server started on it
# (-XX:SharedArchiveFile), under the same name. Any other goal (a tarball, a registry push) leaves the image as Jib
# made it: there is no daemon image to train in. A JVM that cannot use the archive starts without it.
#   add-cds-archive.sh IMAGE GOAL
set -euo pipefail
image=$1
goal=${2:-dockerBuild}
if [ "$goal" != dockerBuild ]; then
  echo "add-cds-archive: goal $goal builds no image in the daemon; the image has no class-data-sharing archive"
  exit 0
fi
archive=/app/cds/onetimeshare-server.jsa
entrypoint=$(docker image inspect -f '{{json .Config.Entrypoint}}' "$image")
case $entrypoint in
  *SharedArchiveFile*) echo "add-cds-archive: $image already has an archive"; exit 0 ;;
  '["java",'*) ;;
  *) echo "add-cds-archive: unexpected entrypoint $entrypoint" >&2; exit 1 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 777 "$work"
# the same JVM flags as the entrypoint, the class path from Jib's class-path file; the archive is written on exit
docker run --rm --network none -v "$work:/out" --entrypoint java "$image" -XX:-UsePerfData \
  -XX:ArchiveClassesAtExit=/out/onetimeshare-server.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
  -cp @/app/jib-classpath-file io.onetimeshare.examples.server.CdsTraining
test -s "$work/onetimeshare-server.jsa"
with_archive=$(printf '%s' "$entrypoint" | sed "s|^\\[\"java\",|[\"java\",\"-XX:SharedArchiveFile=$archive\",|")
printf 'FROM %s\nCOPY onetimeshare-server.jsa %s\nENTRYPOINT %s\n' "$image" "$archive" "$with_archive" \
  > "$work/Dockerfile"
docker build -q -t "$image" "$work" >/dev/null
echo "add-cds-archive: $image now starts with $archive ($(du -h "$work/onetimeshare-server.jsa" | cut -f1))"
