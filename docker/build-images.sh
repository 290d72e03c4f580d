#!/usr/bin/env bash
# Builds the images of the container targets in brokers.yaml without a container registry, by
# `docker import` of small root file systems made from what this machine has:
#
#   mqtt-harness/mosquitto:local  Debian's /usr/sbin/mosquitto and the libraries ldd lists,
#                                 a minimal /etc/passwd; CMD mosquitto -c /etc/mosquitto/mosquitto.conf
#   mqtt-harness/hivemq-ce:local  a JRE jlinked from this machine's JDK (+ the libraries it needs),
#                                 the HiveMQ CE jars and the harness's launcher (targets/jvm-brokers/hivemq-ce);
#                                 ENTRYPOINT java ... HiveMqCe, CMD --host 0.0.0.0 --port 1883
#
# An image whose inputs have not changed is kept (their hash is stored in the image's environment).
# Usage: docker/build-images.sh [mosquitto] [hivemq-ce]      (default: both)
# Needs: docker (a running daemon), ldd, tar; for hivemq-ce also a JDK with jlink and Maven.
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."

DOCKER=${DOCKER:-docker}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

log() { echo "build-images: $*" >&2; }

# copy_libs ROOT FILE...: copies every library ldd lists for each file into ROOT, at the same path
copy_libs() {
  local root=$1 f lib
  shift
  for f in "$@"; do
    # "libx.so => /lib/.../libx.so (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
    for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ )]*' || true); do
      if [ -e "$lib" ] && [ ! -e "$root$lib" ]; then
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
      fi
    done
  done
}

# copy_with_libs ROOT FILE...: copies each file, and the libraries it needs, into ROOT
copy_with_libs() {
  local root=$1 f
  shift
  for f in "$@"; do
    mkdir -p "$root$(dirname "$f")"
    cp -L "$f" "$root$f"
  done
  copy_libs "$root" "$@"
}

# base_fs ROOT: the directories and files every image here needs
base_fs() {
  local root=$1
  mkdir -p "$root"/{etc,tmp,var/tmp,proc,sys,dev,root}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nmosquitto:x:100:101:mosquitto:/var/lib/mosquitto:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nmosquitto:x:101:\nnogroup:x:65534:\n' > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
}

# up_to_date IMAGE HASH: true if IMAGE exists and was built from inputs with this hash
up_to_date() {
  "$DOCKER" image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null \
    | grep -qx "MQTT_HARNESS_INPUTS=$2"
}

# import ROOT IMAGE HASH CHANGE...: docker import of ROOT as IMAGE with Dockerfile-style changes
import() {
  local root=$1 image=$2 hash=$3
  shift 3
  local args=(-c "ENV MQTT_HARNESS_INPUTS=$hash")
  local c
  for c in "$@"; do args+=(-c "$c"); done
  tar -C "$root" --numeric-owner -cf - . | "$DOCKER" import "${args[@]}" - "$image" >/dev/null
  log "built $image ($(du -sh "$root" | cut -f1) root file system)"
}

build_mosquitto() {
  local image=mqtt-harness/mosquitto:local bin=/usr/sbin/mosquitto
  [ -x "$bin" ] || { log "no $bin: apt-get install mosquitto"; return 1; }
  local hash
  hash=$( (sha256sum < "$bin"; sha256sum < "$self"; ldd "$bin" | sed 's/ (0x[0-9a-f]*)//') | sha256sum | cut -c1-16)
  if up_to_date "$image" "$hash"; then log "$image is up to date"; return 0; fi
  local root=$work/mosquitto
  base_fs "$root"
  copy_with_libs "$root" "$bin"
  mkdir -p "$root/etc/mosquitto" "$root/mosquitto/config" "$root/mosquitto/data" "$root/var/lib/mosquitto"
  printf 'listener 1883\nallow_anonymous true\nlog_dest stderr\n' > "$root/etc/mosquitto/mosquitto.conf"
  import "$root" "$image" "$hash" \
    'CMD ["/usr/sbin/mosquitto", "-c", "/etc/mosquitto/mosquitto.conf"]' 'EXPOSE 1883'
}

build_hivemq() {
  local image=mqtt-harness/hivemq-ce:local project=targets/jvm-brokers/hivemq-ce
  local java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
  [ -x "$java_home/bin/jlink" ] || { log "no jlink in $java_home: set JAVA_HOME to a JDK"; return 1; }
  log "building the HiveMQ CE launcher ($project)"
  mvn -B -q -Dstyle.color=never -f "$project/pom.xml" package >&2
  local hash
  hash=$( (tr ':' '\n' < "$project/target/classpath.txt" | sed 's|.*/||';
           cd "$project/target/classes" && find . -type f -exec sha256sum {} + | sort;
           cat "$java_home/release"; sha256sum < "$self") | sha256sum | cut -c1-16)
  if up_to_date "$image" "$hash"; then log "$image is up to date"; return 0; fi
  local root=$work/hivemq
  base_fs "$root"
  log "jlink a JRE from $java_home"
  "$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/java"
  local elf
  while IFS= read -r elf; do
    copy_libs "$root" "$elf"
  done < <(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \))
  mkdir -p "$root/opt/hivemq-ce/lib"
  tr ':' '\n' < "$project/target/classpath.txt" | while IFS= read -r jar; do
    [ -n "$jar" ] && cp "$jar" "$root/opt/hivemq-ce/lib/"
  done
  cp -r "$project/target/classes" "$root/opt/hivemq-ce/classes"
  import "$root" "$image" "$hash" \
    'ENTRYPOINT ["/opt/java/bin/java", "-Xmx512m", "-XX:+UseSerialGC", "-cp", "/opt/hivemq-ce/classes:/opt/hivemq-ce/lib/*", "dev.mqttharness.jvmbrokers.HiveMqCe"]' \
    'CMD ["--host", "0.0.0.0", "--port", "1883", "--dir", "/tmp/hivemq"]' 'EXPOSE 1883'
}

"$DOCKER" info >/dev/null 2>&1 || { log "Docker is not available: '$DOCKER info' failed"; exit 1; }
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(mosquitto hivemq-ce)
for t in "${targets[@]}"; do
  case $t in
    mosquitto) build_mosquitto ;;
    hivemq-ce) build_hivemq ;;
    *) log "unknown image '$t' (mosquitto, hivemq-ce)"; exit 2 ;;
  esac
done
