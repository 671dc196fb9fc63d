#!/usr/bin/env bash
# Builds the real kustomize CLI once from its Go module (sigs.k8s.io/kustomize/kustomize/v5)
# and caches it: the same renderer `kubectl apply -k` embeds, without needing kubectl.
# Prints the binary's path. A lock keeps two first runs from building at once.
set -euo pipefail
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.8.0}"
CACHE="${EDGE_INGRESS_CACHE:-$HOME/.cache/edge-ingress}"
OUT="$CACHE/kustomize-$KUSTOMIZE_VERSION"
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi
mkdir -p "$CACHE"
if command -v flock >/dev/null; then exec 9>"$CACHE/.kustomize-build.lock"; flock 9; fi
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "go is not installed: install Go >= 1.25 (https://go.dev/dl) to build kustomize" >&2; exit 1; }
bin=$(mktemp -d "$CACHE/kustomize-build-XXXX")
trap 'rm -rf "$bin"' EXIT
echo "building kustomize $KUSTOMIZE_VERSION with Go (first time only, under a minute)" >&2
GOBIN="$bin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
mv "$bin/kustomize" "$OUT"
echo "$OUT"
