#!/usr/bin/env bash
# Makes the JRE base image Gantry's own images are built on where no public base can be pulled
# (tests, air-gapped machines): Debian bookworm minbase + openjdk-17-jre-headless.
#
#   runtime-image/base/jre-base.sh            prints the path of a docker-archive tarball, for
#                                             Jib's tar:// base (JavaAppImage --from tar://PATH)
#   runtime-image/base/jre-base.sh --push REF also pushes it to a registry (plain HTTP allowed)
#
# Both products are cached under ${GANTRY_CACHE:-~/.cache/gantry} and made only when missing:
#   jre17-bookworm-rootfs.tar   the debootstrap root file system (~400 MB, ~70 s, needs the network)
#   jre17-bookworm-docker.tar   a docker-archive of it: one gzipped layer + config (~25 s)
# Files are written to a temporary name and renamed, so an interrupted run never leaves a
# half-written cache entry that a later run would trust.
#
# The archive is written here rather than by `podman import` + `podman save`: that round trip
# copies the 400 MB twice through vfs storage and then still hands Jib an uncompressed layer to
# gzip on every build with an empty Jib cache; writing the three files directly is simpler and
# leaves Jib nothing to do but copy the ready layer.
set -euo pipefail

cache="${GANTRY_CACHE:-$HOME/.cache/gantry}"
rootfs="$cache/jre17-bookworm-rootfs.tar"
archive="$cache/jre17-bookworm-docker.tar"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
push=""
if [[ "${1:-}" == "--push" ]]; then
  push="${2:?--push needs an image reference, e.g. 127.0.0.1:5000/base/jre:17}"
fi
mkdir -p "$cache"

log() { echo "jre-base: $*" >&2; }

# The mode tar recorded for the archive's first member, "./", which becomes the image's "/" (a
# tar header holds the name at byte 0 and the mode, in octal, at byte 100). Gantry's images run as
# user 65532, so "/" must be traversable by others: with "/" at 0700 every lookup below it fails
# with EACCES, and runc reports `exec: "java": executable file not found in $PATH`.
root_traversable() {
  local name mode
  name="$(dd if="$1" bs=1 count=2 status=none)"
  mode="$(dd if="$1" bs=1 skip=100 count=7 status=none)"
  [[ "$name" == "./" && "$mode" =~ ^[0-7]+$ ]] && (( (8#$mode & 8#005) == 8#005 ))
}

# Subshells, so each cleanup trap covers exactly its own temporary folder.
make_rootfs() (
  command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
  root="$(mktemp -d "$cache/rootfs.XXXXXX")"
  trap 'rm -rf "$root" "$rootfs.tmp"' EXIT
  # mktemp -d makes the folder 0700 and tar records that as the image's "/" (see root_traversable).
  chmod 0755 "$root"
  log "debootstrap bookworm + openjdk-17-jre-headless into $root (about 70 s)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" "$mirror" >&2
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -cf "$rootfs.tmp" .
  root_traversable "$rootfs.tmp" || { log "the root file system's / is not traversable by others"; exit 1; }
  mv -f "$rootfs.tmp" "$rootfs"
)

make_archive() (
  work="$(mktemp -d "$cache/archive.XXXXXX")"
  trap 'rm -rf "$work" "$archive.tmp"' EXIT
  log "writing docker-archive $archive from $rootfs"
  # The config's diff_id is the digest of the uncompressed layer; the layer file itself is gzipped.
  diff_id="sha256:$(sha256sum "$rootfs" | cut -d' ' -f1)"
  if command -v pigz >/dev/null; then pigz -n -c "$rootfs" >"$work/layer.tar.gz"; else gzip -n -c "$rootfs" >"$work/layer.tar.gz"; fi
  cat >"$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm"}]}
EOF
  echo '[{"Config":"config.json","RepoTags":["gantry/jre:17"],"Layers":["layer.tar.gz"]}]' >"$work/manifest.json"
  tar -C "$work" -cf "$archive.tmp" manifest.json config.json layer.tar.gz
  mv -f "$archive.tmp" "$archive"
)

# A rootfs cached before "/" was made 0755 gives images whose non-root entrypoint cannot start.
if [[ -s "$rootfs" ]] && ! root_traversable "$rootfs"; then
  log "$rootfs has / at mode 0700 (made by an earlier jre-base.sh): remaking it"
  rm -f "$rootfs"
fi
[[ -s "$rootfs" ]] || make_rootfs
[[ -s "$archive" && "$archive" -nt "$rootfs" ]] || make_archive

if [[ -n "$push" ]]; then
  command -v skopeo >/dev/null || { log "skopeo is not installed (apt-get install skopeo)"; exit 1; }
  log "pushing $archive to $push"
  skopeo copy --dest-tls-verify=false "docker-archive:$archive" "docker://$push" >&2
fi
echo "$archive"
