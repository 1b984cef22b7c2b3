#!/usr/bin/env bash
# Gets the binaries the end-to-end tests run, on a machine with only Go, Node and the Go
# module proxy: the Pulumi CLI, a Kubernetes resource provider, etcd, kube-apiserver, the
# Pulumi YAML language host, and the two Istio judges of the conformance tests (istioctl, Helm).
# `setup.sh [all|etcd|kube-apiserver|pulumi|provider|yaml|judges|istioctl|analyze-runtime|helm]`.
#
# A binary already on PATH at the pinned version is used as is; otherwise it is built once
# from the wrapper modules under tests/e2e/go/ and cached, keyed by version, in
#   ${MESH_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mesh-gateway-e2e}/<name>-<version>/
# Prints one line per binary: <name> <path> <seconds spent building it (0 when cached)>.
# `setup.sh --cached [which]` builds nothing and prints only the binaries already there (the fast
# test suite uses it to find the judges without starting a build).
set -euo pipefail
cached_only=false
if [ "${1:-}" = --cached ]; then cached_only=true; shift; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${MESH_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mesh-gateway-e2e}"
ver() { node -p "require('$here/../../versions.json')['$1']"; }
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
# go.sum pins every module; the checksum database does not know some of Pulumi's.
export GONOSUMDB="${GONOSUMDB:-github.com/pulumi}"

# build <name> <binary> <version> <on-PATH version regex, "" to never take it from PATH> <module dir> <package> [ldflags]
build() {
    local name=$1 bin=$2 version=$3 probe=$4 dir=$5 pkg=$6 ldflags=${7:-}
    local out="$cache/$name-$version/$bin" verflag=--version
    [ "$bin" = pulumi ] && verflag=version
    if [ -n "$probe" ] && command -v "$bin" >/dev/null 2>&1 && timeout 20 "$bin" $verflag 2>/dev/null | grep -Eq "$probe"; then
        echo "$name $(command -v "$bin") 0"; return
    fi
    if [ ! -x "$out" ]; then
        $cached_only && return
        local start=$SECONDS
        mkdir -p "$(dirname "$out")"
        (cd "$here/go/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg") >&2
        mv "$out.tmp" "$out"
        echo "$name $out $((SECONDS - start))"
    else
        echo "$name $out 0"
    fi
}

istio_v=$(ver istio); helm_v=$(ver helm); yaml_v=$(ver pulumi-language-yaml); pulumi_v=$(ver pulumi); k8s_v=$(ver kubernetes); etcd_v=$(ver etcd); prov_v=$(ver pulumi-resource-kubernetes)
k8s_ld=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ld="$k8s_ld -X $p.gitVersion=v$k8s_v -X $p.gitMajor=${k8s_v%%.*} -X $p.gitMinor=$(echo "$k8s_v" | cut -d. -f2)"
    k8s_ld="$k8s_ld -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

which=${1:-all}
if [ "$which" = all ] || [ "$which" = etcd ]; then
    build etcd etcd "$etcd_v" "etcd Version: $etcd_v" etcd .
fi
if [ "$which" = all ] || [ "$which" = kube-apiserver ]; then
    build kube-apiserver kube-apiserver "$k8s_v" "Kubernetes v$k8s_v" kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ld"
fi
if [ "$which" = all ] || [ "$which" = pulumi ]; then
    build pulumi pulumi "$pulumi_v" "^v$pulumi_v\$" pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
        "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_v"
fi
if [ "$which" = all ] || [ "$which" = provider ]; then
    # Our own stand-in (tests/e2e/go/provider-kubernetes): never taken from PATH.
    src_hash=$(cat "$here"/go/provider-kubernetes/{main.go,go.mod,go.sum} | sha256sum | cut -c1-12)
    build pulumi-resource-kubernetes pulumi-resource-kubernetes "$prov_v-$src_hash" "" provider-kubernetes . \
        "-X main.version=$prov_v"
fi
if [ "$which" = all ] || [ "$which" = yaml ]; then
    # Pulumi YAML's language host, for the YAML test stack.
    build pulumi-language-yaml pulumi-language-yaml "$yaml_v" "" pulumi-yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
        "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$yaml_v"
fi
if [ "$which" = all ] || [ "$which" = judges ] || [ "$which" = istioctl ]; then
    # istioctl from the pinned istio.io/istio pseudo-version (no semver tag): never taken from PATH.
    build istioctl istioctl "$istio_v" "" istio-judges istio.io/istio/istioctl/cmd/istioctl
fi
if [ "$which" = all ] || [ "$which" = judges ] || [ "$which" = analyze-runtime ]; then
    # istioctl analyze's analyzers over files that include Pods, Services and Secrets (which
    # `istioctl analyze` drops from files): our own small main in the same wrapper module.
    src_hash=$(cat "$here"/go/istio-judges/{analyze-runtime/main.go,go.mod,go.sum} | sha256sum | cut -c1-12)
    build istio-analyze-runtime istio-analyze-runtime "$istio_v-$src_hash" "" istio-judges ./analyze-runtime
fi
if [ "$which" = all ] || [ "$which" = judges ] || [ "$which" = helm ]; then
    # Helm at the version istio.io/istio itself requires (same wrapper module, shared dependencies);
    # never taken from PATH, so the chart is always rendered by the pinned Helm.
    build helm helm "$helm_v" "" istio-judges helm.sh/helm/v4/cmd/helm \
        "-X helm.sh/helm/v4/internal/version.version=v$helm_v -X helm.sh/helm/v4/internal/version.gitTreeState=clean"
fi
