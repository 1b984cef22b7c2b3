// analyze-runtime runs istioctl analyze's analyzers (Istio's own packages, at the pinned version)
// over YAML files INCLUDING runtime objects: Pods, Services, Secrets and Namespaces. `istioctl
// analyze --use-kube=false` drops those from files (IstiodAnalyzer.AddReaderKubeSource removes
// kuberesource.DefaultExcludedSchemas) and so skips every analyzer that needs them (gateway
// selector and port, credentialName Secret, conflicting gateways, destination hosts, subsets,
// injection). Istio's own analyzer tests read files with AddTestReaderKubeSource instead; so does
// this. Output: the messages as `istioctl analyze -o json` prints them.
package main

import (
	"fmt"
	"os"

	"istio.io/istio/istioctl/pkg/util/formatting"
	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"
)

func main() {
	// No AddDefaultResources (istioctl's stand-in ingress gateway): the files are the whole
	// cluster, and it would create the file source without the runtime kinds.
	sa := local.NewIstiodAnalyzer(analyzers.AllCombined(), "", resource.Namespace("istio-system"), nil)
	var readers []local.ReaderSource
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		readers = append(readers, local.ReaderSource{Name: name, Reader: f})
	}
	if err := sa.AddTestReaderKubeSource(readers); err != nil {
		fail(err)
	}
	result, err := sa.Analyze(make(chan struct{}))
	if err != nil {
		fail(err)
	}
	out, err := formatting.Print(result.Messages, formatting.JSONFormat, false)
	if err != nil {
		fail(err)
	}
	if out == "" || out == "null" {
		out = "[]"
	}
	fmt.Println(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}
