#!/usr/bin/env bash
# Builds Gantry's own images with Jib and pushes them:
#   <registry>/gantry/runtime:<project version>   the gateway (per-API images start FROM it)
#   <registry>/gantry/toolkit:<project version>   the gantry CLI (stage 1 of dockerfiles/Dockerfile)
#   <registry>/gantry/operator:<project version>  the operator (operator/deploy runs it), when built
# Usage: scripts/images.sh --registry HOST:PORT [--insecure] [--from BASE|tar://PATH|jre-base]
#   --from jre-base   builds on the debootstrap JRE from runtime-image/base/jre-base.sh (no pull)
# Build first: ./mvnw -q -DskipTests package
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--from" && "${2:-}" == "jre-base" ]]; then
    args+=(--from "tar://$("$root/runtime-image/base/jre-base.sh")"); shift 2
  else
    args+=("$1"); shift
  fi
done
lib="$root/toolkit/target/lib"
if [[ ! -d "$lib" ]]; then
  echo "images: not built yet; run: (cd $root && ./mvnw -q -DskipTests package)" >&2
  exit 2
fi
exec java -cp "$root/toolkit/target/gantry-toolkit.jar:$lib/*" dev.gantry.toolkit.image.product.ProductImages \
  --root "$root" --tag "$version" "${args[@]}"
