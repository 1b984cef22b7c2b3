// Stand-ins for the Pulumi language hosts the Go module proxy does not serve
// (pulumi-language-nodejs, -go, -python), for the two things the e2e suite needs from them; the
// binary acts as the host its file name says (it is linked under each name).
//
//   - GeneratePackage (`pulumi package gen-sdk`): the same code generators the real hosts call,
//     from github.com/pulumi/pulumi/pkg/v3/codegen of the CLI's release.
//   - RunPlugin, nodejs only (`pulumi package get-schema <dir>`, `packages:` of a program): starts
//     a `runtime: nodejs` plugin the way the Node.js host does, with the Node.js SDK's own entry
//     point `node_modules/@pulumi/pulumi/cmd/run-plugin <program dir> <args>`, and streams its
//     output back to the engine.
//
// InstallDependencies does nothing (the package's dependencies are installed before the suite).
// Running programs (Run) is not implemented: the e2e programs run through the Automation API's
// inline programs, whose language runtime is the test process itself.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	language string
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: "3.248.0"}, nil
}

// InstallDependencies has nothing to do: the package's dependencies are installed (`npm ci`) before
// the e2e suite runs, and nothing is downloaded during it.
func (h *host) InstallDependencies(*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	return nil
}

func (h *host) GeneratePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, fmt.Errorf("reading the schema: %w", err)
	}
	// The engine's schema loader, as the real hosts use it (for references to other packages).
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	tool := "pulumi-language-" + h.language
	var files map[string][]byte
	switch h.language {
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, req.LocalDependencies)
	case "python":
		files, err = python.GeneratePackage(tool, pkg, req.ExtraFiles, loader)
	case "nodejs":
		files, err = nodejs.GeneratePackage(tool, pkg, req.ExtraFiles, req.LocalDependencies, req.Local, loader)
	default:
		err = fmt.Errorf("no code generator for %s", h.language)
	}
	if err != nil {
		return nil, err
	}
	for name, content := range files {
		path := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, content, 0o600); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{}, nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	if h.language != "nodejs" {
		return h.UnimplementedLanguageRuntimeServer.RunPlugin(req, server)
	}
	dir := req.GetInfo().GetProgramDirectory()
	args := append([]string{filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin"), dir}, req.Args...)
	cmd := exec.Command("node", args...)
	cmd.Dir = req.Pwd
	cmd.Env = req.Env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{}, 2)
	forward := func(r io.Reader, wrap func([]byte) *pulumirpc.RunPluginResponse) {
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				_ = server.Send(wrap(append([]byte(nil), buf[:n]...)))
			}
			if err != nil {
				done <- struct{}{}
				return
			}
		}
	}
	go forward(stdout, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	})
	go forward(stderr, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	})
	<-done
	<-done
	code := int32(0)
	if err := cmd.Wait(); err != nil {
		code = -1
		if exit, ok := err.(*exec.ExitError); ok {
			code = int32(exit.ExitCode())
		}
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

func main() {
	language := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-language-")
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(s, &host{language: language})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
