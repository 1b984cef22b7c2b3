// Command pulumi-resource-kubernetes is pulumi-kubernetes' own provider, built from its Go module.
// Upstream's main (cmd/pulumi-resource-kubernetes/main.go) embeds files that `go generate` derives
// from schema.json and terraform-mapping.json in that folder; setup.sh copies those two files next
// to this one at build time instead, so the provider serves the module's own schema.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.json
var pulumiSchema []byte

//go:embed terraform-mapping.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
