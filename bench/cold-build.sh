#!/usr/bin/env bash
# What a fresh CI machine pays for the e2e binaries: every piece of `tests/e2e/setup.sh`, one after
# another in one empty temporary folder (GOCACHE, GOMODCACHE, GOPATH and MESH_E2E_CACHE inside it,
# so later pieces reuse what earlier ones compiled, as in CI). For each wrapper module the module
# download (`go mod download`) is timed alone first, then `setup.sh <piece>`. Prints one line per
# step: CPU seconds (user + sys), wall seconds, max RSS; and, per build, the mean number of compile
# and link actions running at once (from `go build -debug-actiongraph`): on a quiet 2-core machine
# each running action has a core, so the quiet wall time is about CPU seconds / that mean.
# `bench/cold-build.sh [piece...]` (default: every piece, in the order below). Run it under
# `nice -n 10`; it takes about an hour of CPU.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(mktemp -d)"
trap 'chmod -R u+w "$root" && rm -rf "$root"' EXIT
export GOCACHE="$root/gocache" GOMODCACHE="$root/gomodcache" GOPATH="$root/gopath" MESH_E2E_CACHE="$root/e2e"
export GONOSUMDB="${GONOSUMDB:-github.com/pulumi}"
module_of() {
    case $1 in
        etcd) echo etcd ;;
        kube-apiserver | kube-controller-manager | kube-scheduler) echo kube-apiserver ;;
        istioctl | analyze-runtime | helm) echo istio-judges ;;
        pulumi) echo pulumi ;;
        kwok) echo kwok ;;
        provider) echo pulumi-kubernetes ;;
        yaml) echo pulumi-yaml ;;
        *) echo "unknown piece $1" >&2; exit 2 ;;
    esac
}
# mean_concurrency <actiongraph.json>: action seconds / span of the build's actions.
mean_concurrency() {
    node -e '
        const acts = require(process.argv[1]).filter((a) => a.TimeStart && a.TimeDone);
        const t = (s) => Date.parse(s.replace(/(\.\d{3})\d*Z$/, "$1Z"));
        const start = Math.min(...acts.map((a) => t(a.TimeStart)));
        const end = Math.max(...acts.map((a) => t(a.TimeDone)));
        const busy = acts.reduce((s, a) => s + t(a.TimeDone) - t(a.TimeStart), 0);
        console.log(end > start ? (busy / (end - start)).toFixed(2) : "-");
    ' "$1"
}
timed() { # timed <label> <command...>: one line of figures, the command's output on stderr
    local label=$1; shift
    local f="$root/time"
    /usr/bin/time -o "$f" -f "%U %S %e %M" "$@" >&2
    read -r u s w rss < "$f"
    printf '%-30s cpu %7.1f s (user %.1f + sys %.1f)  wall %7.1f s  max RSS %5d MB' \
        "$label" "$(echo "$u + $s" | bc)" "$u" "$s" "$w" $((rss / 1024))
}
pieces=("$@")
[ ${#pieces[@]} -gt 0 ] || pieces=(etcd kube-apiserver kube-controller-manager kube-scheduler istioctl analyze-runtime helm pulumi kwok provider yaml)
declare -A downloaded=()
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version)"
for p in "${pieces[@]}"; do
    m=$(module_of "$p")
    if [ -z "${downloaded[$m]:-}" ]; then
        downloaded[$m]=1
        (cd "$repo/tests/e2e/go/$m" && timed "download $m" go mod download)
        echo "  module cache $(du -sm "$GOMODCACHE" | cut -f1) MB"
    fi
    GOFLAGS="-buildvcs=false -debug-actiongraph=$root/actions.json" timed "build $p" bash "$repo/tests/e2e/setup.sh" "$p"
    echo "  actions at once $(mean_concurrency "$root/actions.json")  load $(cut -d' ' -f1-3 /proc/loadavg)"
done
