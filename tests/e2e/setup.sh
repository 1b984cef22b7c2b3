#!/usr/bin/env bash
# Gets the binaries the end-to-end tests run, on a machine with only Go, Node and the Go
# module proxy: the Pulumi CLI, pulumi-kubernetes' provider, etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok, the Pulumi YAML language host, and the two
# Istio judges of the conformance tests (istioctl, Helm).
# `setup.sh [all|etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kwok|pulumi|provider|yaml|judges|istioctl|analyze-runtime|helm]`.
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
# versions.json read once (one node start, inherited by the lanes below), `name=version` lines.
if [ -z "${MESH_E2E_VERSIONS:-}" ]; then
    MESH_E2E_VERSIONS="$(node -e 'for (const [k, v] of Object.entries(require(process.argv[1]))) console.log(`${k}=${v}`)' "$here/../../versions.json")"
    export MESH_E2E_VERSIONS
fi
ver() { printf '%s\n' "$MESH_E2E_VERSIONS" | sed -n "s/^$1=//p"; }
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
# go.sum pins every module; the checksum database does not know some of Pulumi's.
export GONOSUMDB="${GONOSUMDB:-github.com/pulumi}"

# build <name> <binary> <version> <on-PATH version regex, "" to never take it from PATH> <module dir> <package> [ldflags]
# With $prepare set to a function name, the module is copied to a temporary folder and the
# function runs there before the build (files generated at build time, never committed).
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
        local src="$here/go/$dir"
        if [ -n "${prepare:-}" ]; then
            src="$(mktemp -d)"
            cp "$here/go/$dir"/* "$src/"
            (cd "$src" && "$prepare" "$(dirname "$out")") >&2
        fi
        # No DWARF from the compiler either: the linker's -w drops it anyway, so generating it is
        # wasted time (about a tenth of a cold build).
        (cd "$src" && go build -trimpath -gcflags=all=-dwarf=false -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg") >&2
        [ -n "${prepare:-}" ] && rm -rf "$src"
        mv "$out.tmp" "$out"
        echo "$name $out $((SECONDS - start))"
    else
        echo "$name $out 0"
    fi
}

istio_v=$(ver istio); helm_v=$(ver helm); yaml_v=$(ver pulumi-language-yaml); pulumi_v=$(ver pulumi); k8s_v=$(ver kubernetes); etcd_v=$(ver etcd); prov_v=$(ver pulumi-resource-kubernetes)
kwok_v=$(ver kwok)
k8s_ld=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ld="$k8s_ld -X $p.gitVersion=v$k8s_v -X $p.gitMajor=${k8s_v%%.*} -X $p.gitMinor=$(echo "$k8s_v" | cut -d. -f2)"
    k8s_ld="$k8s_ld -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

which=${1:-all}
if [ "$which" = all ] && ! $cached_only; then
    # Two lanes at once: one go build alone leaves a core idle while it links, downloads modules
    # or waits on a narrow part of the package graph. Each lane keeps modules that share
    # dependencies in order (kubernetes then Istio; the Pulumi CLI then the provider and YAML,
    # with kwok). Cached binaries cost nothing either way.
    bash "$0" lane-a & a=$!
    bash "$0" lane-b & b=$!
    rc=0
    wait $a || rc=$?
    wait $b || rc=$?
    exit $rc
fi
# want <piece>: whether this run builds <piece>.
want() {
    case "$which" in
        all) return 0 ;;
        judges) case $1 in istioctl|analyze-runtime|helm) return 0 ;; esac ;;
        lane-a) case $1 in etcd|kube-apiserver|kube-controller-manager|kube-scheduler|istioctl|analyze-runtime|helm) return 0 ;; esac ;;
        lane-b) case $1 in pulumi|kwok|provider|yaml) return 0 ;; esac ;;
        *) [ "$which" = "$1" ] && return 0 ;;
    esac
    return 1
}
if want etcd; then
    build etcd etcd "$etcd_v" "etcd Version: $etcd_v" etcd .
fi
if want kube-apiserver; then
    build kube-apiserver kube-apiserver "$k8s_v" "Kubernetes v$k8s_v" kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ld"
fi
if want pulumi; then
    build pulumi pulumi "$pulumi_v" "^v$pulumi_v\$" pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
        "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_v"
fi
if want kube-controller-manager; then
    # Same wrapper module (and so the same build cache) as kube-apiserver.
    build kube-controller-manager kube-controller-manager "$k8s_v" "Kubernetes v$k8s_v" kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager "$k8s_ld"
fi
if want kube-scheduler; then
    build kube-scheduler kube-scheduler "$k8s_v" "Kubernetes v$k8s_v" kube-apiserver k8s.io/kubernetes/cmd/kube-scheduler "$k8s_ld"
fi
if want kwok; then
    # kwok plays the kubelets of fake nodes; it needs stages (what happens to a node or pod, and
    # when). Upstream's "fast" ones (kustomize/stage/{node,pod}/fast, plus the node heartbeat)
    # are copied from its module next to the binary as stages.yaml.
    kwok_stages() {
        local mod; mod="$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
        local s
        for s in node/fast/node-initialize node/heartbeat/node-heartbeat pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
            cat "$mod/kustomize/stage/$s.yaml"; echo "---"
        done > "$1/stages.yaml"
    }
    prepare=kwok_stages build kwok kwok "$kwok_v" "" kwok sigs.k8s.io/kwok/cmd/kwok \
        "-X sigs.k8s.io/kwok/pkg/consts.Version=$kwok_v"
fi
if want provider; then
    # pulumi-kubernetes' own provider at the pseudo-version the module proxy serves. Upstream's
    # main embeds files `go generate` makes from schema.json and terraform-mapping.json; the
    # wrapper's main embeds copies of those two, taken from the module at build time.
    provider_schema() {
        local mod; mod="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)"
        cp "$mod/cmd/pulumi-resource-kubernetes/schema.json" "$mod/cmd/pulumi-resource-kubernetes/terraform-mapping.json" .
        chmod u+w schema.json terraform-mapping.json
    }
    prepare=provider_schema build pulumi-resource-kubernetes pulumi-resource-kubernetes "$prov_v" "" pulumi-kubernetes . \
        "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$prov_v"
fi
if want yaml; then
    # Pulumi YAML's language host, for the YAML test stack.
    build pulumi-language-yaml pulumi-language-yaml "$yaml_v" "" pulumi-yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
        "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$yaml_v"
fi
if want istioctl; then
    # istioctl from the pinned istio.io/istio pseudo-version (no semver tag): never taken from PATH.
    build istioctl istioctl "$istio_v" "" istio-judges istio.io/istio/istioctl/cmd/istioctl
fi
if want analyze-runtime; then
    # istioctl analyze's analyzers over files that include Pods, Services and Secrets (which
    # `istioctl analyze` drops from files): our own small main in the same wrapper module.
    src_hash=$(cat "$here"/go/istio-judges/{analyze-runtime/main.go,go.mod,go.sum} | sha256sum | cut -c1-12)
    build istio-analyze-runtime istio-analyze-runtime "$istio_v-$src_hash" "" istio-judges ./analyze-runtime
fi
if want helm; then
    # Helm at the version istio.io/istio itself requires (same wrapper module, shared dependencies);
    # never taken from PATH, so the chart is always rendered by the pinned Helm.
    build helm helm "$helm_v" "" istio-judges helm.sh/helm/v4/cmd/helm \
        "-X helm.sh/helm/v4/internal/version.version=v$helm_v -X helm.sh/helm/v4/internal/version.gitTreeState=clean"
fi
