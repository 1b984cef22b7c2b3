// A Go program using MeshGateway through the Go SDK that `pulumi package gen-sdk` generates from
// the package schema: a two-cluster istio-mode gateway with an override for dp-2. It runs as a Go
// Automation API inline program (the Go language host is not served by the module proxy; the
// inline program is the real Go SDK talking to the real engine).
//
//	go-program up|destroy
//
// Environment: MESH_E2E_WORK_DIR, MESH_E2E_PLUGIN_DIR (the package as a resource plugin),
// MESH_E2E_KUBECONFIG_DP1/DP2, and the Pulumi CLI's (PULUMI_BACKEND_URL, PULUMI_HOME, ...).
// `up` prints the stack outputs as JSON.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	meshgateway "example.com/pulumi-mesh-gateway/sdk/go/mesh-gateway"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func program(ctx *pulumi.Context) error {
	serviceType := meshgateway.ServiceTypeLoadBalancer
	trafficPolicy := meshgateway.ExternalTrafficPolicyLocal
	http2 := meshgateway.PortProtocolHTTP2
	gateway, err := meshgateway.NewMeshGateway(ctx, "go-ingress", &meshgateway.MeshGatewayArgs{
		Mode: meshgateway.InstallModeIstio,
		Clusters: []meshgateway.ClusterArgs{
			{Id: "dp-1", Kubeconfig: pulumi.ToSecret(pulumi.String(os.Getenv("MESH_E2E_KUBECONFIG_DP1"))).(pulumi.StringOutput)},
			{Id: "dp-2", Kubeconfig: pulumi.ToSecret(pulumi.String(os.Getenv("MESH_E2E_KUBECONFIG_DP2"))).(pulumi.StringOutput)},
		},
		Gateway: meshgateway.GatewaySpecArgs{
			ServiceType:           &serviceType,
			ExternalTrafficPolicy: &trafficPolicy,
			// The harness's cloud controller gives the Service an address, as Alibaba Cloud's does.
			ServiceAnnotations: map[string]string{"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "internet"},
			Ports: []meshgateway.GatewayPortArgs{
				{Name: "status-port", Port: 15021},
				{Name: "http2", Port: 80, Protocol: &http2},
			},
			MinReplicas:     pulumi.Float64Ref(1),
			MaxReplicas:     pulumi.Float64Ref(3),
			RollingMaxSurge: pulumi.StringRef("1"),
			Overrides: map[string]meshgateway.GatewayOverrideArgs{
				"dp-2": {MaxReplicas: pulumi.Float64Ref(5)},
			},
		},
	})
	if err != nil {
		return err
	}
	ctx.Export("serviceName", gateway.ServiceName)
	ctx.Export("addresses", gateway.Addresses)
	return nil
}

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(command string) error {
	ctx := context.Background()
	project := workspace.Project{
		Name:    "mesh-gateway-go",
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "mesh-gateway", Path: os.Getenv("MESH_E2E_PLUGIN_DIR")}}},
		Backend: &workspace.ProjectBackend{URL: os.Getenv("PULUMI_BACKEND_URL")},
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "go", project.Name.String(), program,
		auto.Project(project), auto.WorkDir(os.Getenv("MESH_E2E_WORK_DIR")))
	if err != nil {
		return err
	}
	switch command {
	case "up":
		result, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		outputs := map[string]interface{}{}
		for k, v := range result.Outputs {
			outputs[k] = v.Value
		}
		return json.NewEncoder(os.Stdout).Encode(outputs)
	case "destroy":
		_, err := stack.Destroy(ctx, optdestroy.ProgressStreams(io.Discard))
		return err
	}
	return fmt.Errorf("unknown command %q (up or destroy)", command)
}
