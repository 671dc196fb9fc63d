#!/usr/bin/env bash
# Builds a real kube-apiserver once from the k8s.io/kubernetes Go module and caches it.
# k8s.io/kubernetes replaces its staging modules with local paths, which a module that
# requires it cannot follow, so we pin each one to its published v0.X.Y twin.
set -euo pipefail
K8S_VERSION="${K8S_VERSION:-v1.36.3}"
CACHE="${EDGE_INGRESS_CACHE:-$HOME/.cache/edge-ingress}"
OUT="$CACHE/kube-apiserver-$K8S_VERSION"
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi
mkdir -p "$CACHE"
# Two first runs at once (a test run and env:up) must not build into the same directory.
if command -v flock >/dev/null; then exec 9>"$CACHE/.kube-apiserver-build.lock"; flock 9; fi
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "go is not installed: install Go >= 1.25 (https://go.dev/dl) to build kube-apiserver" >&2; exit 1; }

work="$CACHE/build-kube-apiserver-$K8S_VERSION"
mkdir -p "$work"
cd "$work"
staging_version="v0.${K8S_VERSION#v1.}"
gomod_json=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION")
gomod_file=$(printf '%s' "$gomod_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
go_directive=$(awk '$1=="go"{print $2; exit}' "$gomod_file")
{
  echo "module edge-ingress.local/kube-apiserver-build"
  echo
  echo "go $go_directive"
  echo
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo
  # every "k8s.io/x => ./staging/src/k8s.io/x" line becomes "k8s.io/x => k8s.io/x v0.N.M"
  grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod_file" \
    | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
} > go.mod
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
echo "building kube-apiserver $K8S_VERSION in $work (first time only, takes several minutes)" >&2
GOFLAGS=-mod=mod go mod tidy >&2
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$OUT.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
mv "$OUT.tmp" "$OUT"
echo "$OUT"
