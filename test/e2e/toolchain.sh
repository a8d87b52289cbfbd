#!/usr/bin/env bash
# Builds the end-to-end toolchain from Go modules into a cache outside the repository, once per version:
# the Pulumi CLI, the Kubernetes provider plugin, etcd, kube-apiserver and kube-controller-manager, Pulumi's
# Python SDK generator, and a Python virtual environment with Pulumi's Python SDK (from PyPI).
# Each build's key is the hash of its wrapper module (test/e2e/toolchain/<name>/go.mod, go.sum, *.go, or
# requirements.txt), so a version change rebuilds and everything else is reused. Prints the bin folder of
# each as NAME=PATH.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${ISTIO_MULTICLUSTER_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/istio-multicluster-e2e}"
timings="$cache/timings.tsv"
mkdir -p "$cache/bin" "$cache/src"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build"

PULUMI_VERSION=v3.248.0
KUBERNETES_VERSION=v1.36.3
ETCD_VERSION=v3.6.16
KUBERNETES_PROVIDER_VERSION=4.25.0

key_of() {
    { echo "$PULUMI_VERSION $KUBERNETES_VERSION $ETCD_VERSION $KUBERNETES_PROVIDER_VERSION"
      cd "$here/toolchain/$1" && cat $(ls go.mod go.sum 2>/dev/null) $(ls ./*.go 2>/dev/null) $(ls requirements.txt 2>/dev/null); } | sha256sum | cut -c1-16
}

# build NAME: copies the wrapper module to its own source folder and runs build_NAME there.
build() {
    local name="$1" out="$cache/bin/$1-$(key_of "$1")"
    if [[ -f "$out/.complete" ]]; then
        echo "$name=$out"
        return
    fi
    local src="$cache/src/$name" started=$SECONDS
    rm -rf "$src" "$out"
    mkdir -p "$src" "$out"
    cp "$here/toolchain/$name"/* "$src/"
    echo "building $name into $out" >&2
    (cd "$src" && { [[ ! -f go.mod ]] || go mod download; } && "build_${name//-/_}" "$out") >&2
    touch "$out/.complete"
    printf '%s\t%s\t%s\n' "$name" "$((SECONDS - started))" "$(date -u +%FT%TZ)" >>"$timings"
    echo "$name=$out"
}

build_pulumi() {
    go build -trimpath -tags osusergo,grpcnotrace \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
        -o "$1/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

build_kubernetes_provider() {
    # The provider embeds its schema with the version set; the module ships the schema without it.
    local dir
    dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)/cmd/pulumi-resource-kubernetes"
    node -e 'const fs = require("fs"); const [dir, version] = process.argv.slice(1);
        fs.writeFileSync("schema-embed.json", JSON.stringify({ ...JSON.parse(fs.readFileSync(dir + "/schema.json", "utf8")), version }));
        fs.writeFileSync("terraform-mapping-embed.json", JSON.stringify(JSON.parse(fs.readFileSync(dir + "/terraform-mapping.json", "utf8"))));' \
        "$dir" "$KUBERNETES_PROVIDER_VERSION"
    go build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_PROVIDER_VERSION" \
        -o "$1/pulumi-resource-kubernetes" .
}

build_python_sdk() {
    go build -trimpath -ldflags "-s -w" -o "$1/python-sdk" .
}

build_python() {
    python3 -m venv "$1/venv"
    "$1/venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt
}

build_etcd() {
    go build -trimpath -ldflags "-s -w" -o "$1/etcd" go.etcd.io/etcd/server/v3
}

build_kube() {
    # Helm and the Kubernetes provider read the server's version: without these it reports v0.0.0.
    local minor="${KUBERNETES_VERSION#v1.}" flags="-s -w"
    minor="${minor%%.*}"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        flags="$flags -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    done
    go build -trimpath -ldflags "$flags" -o "$1/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
}

# Downloads are network-bound and builds CPU-bound: fetch every module set while the first build runs.
for name in pulumi kubernetes-provider etcd kube python-sdk; do
    out="$cache/bin/$name-$(key_of "$name")"
    [[ -f "$out/.complete" ]] || (cd "$here/toolchain/$name" && go mod download >/dev/null 2>&1 &)
done

# A pulumi on PATH at the right version, installed as <root>/bin/pulumi, serves as well as a build.
ambient="$(command -v pulumi || true)"
if [[ -n "$ambient" && "$(basename "$(dirname "$ambient")")" == bin && "$("$ambient" version 2>/dev/null)" == "$PULUMI_VERSION" ]]; then
    echo "pulumi=$(dirname "$(dirname "$ambient")")"
else
    build pulumi
fi
build kubernetes-provider
build etcd
build kube
build python-sdk
build python
echo "KUBERNETES_PROVIDER_VERSION=$KUBERNETES_PROVIDER_VERSION"
echo "KUBERNETES_VERSION=$KUBERNETES_VERSION"
