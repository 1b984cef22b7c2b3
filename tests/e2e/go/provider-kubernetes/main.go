// Command pulumi-resource-kubernetes is a small stand-in for the Pulumi Kubernetes provider,
// used only by the end-to-end tests. The real provider's Go module is not served by the module
// proxy this project can reach, so this one speaks the same resource-provider protocol for the
// resource types @pulumi/kubernetes registers (`kubernetes:<group/version>:<Kind>`, typed or
// CustomResource) and applies each object to a real kube-apiserver with server-side apply.
//
// What it does not do, on purpose: await readiness (no controllers run in the tests), compute
// previews against the server (dry-run), or implement invokes, Helm, YAML or kustomize.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

// version is what GetPluginInfo reports: the @pulumi/kubernetes SDK version the tests use.
var version = "4.34.2"

const fieldManager = "pulumi-kubernetes"

type kubeProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
	cancel chan bool

	mu     sync.Mutex
	dyn    dynamic.Interface
	mapper *restmapper.DeferredDiscoveryRESTMapper
}

func main() {
	cancel := make(chan bool)
	p := &kubeProvider{cancel: cancel}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(s, p)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "fatal: %v\n", err)
		os.Exit(1)
	}
}

var opts = plugin.MarshalOptions{KeepUnknowns: true, SkipNulls: true, KeepSecrets: true}
var plainOpts = plugin.MarshalOptions{SkipNulls: true}

func unmarshal(s *structpb.Struct, o plugin.MarshalOptions) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, o)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) { return plugin.MarshalProperties(m, opts) }

func (p *kubeProvider) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *kubeProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":"kubernetes","version":%q}`, version)}, nil
}

func (p *kubeProvider) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	select {
	case p.cancel <- true:
	default:
	}
	return &pbempty.Empty{}, nil
}

func (p *kubeProvider) Attach(context.Context, *pulumirpc.PluginAttach) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func (p *kubeProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *kubeProvider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOldInputs(), opts)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews(), opts)
	if err != nil {
		return nil, err
	}
	delete(olds, "version")
	delete(news, "version")
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	if d := olds.Diff(news); d != nil {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		resp.Diffs = changedKeys(d)
		// Another cluster means every object must be recreated there.
		if d.Changed("clusterIdentifier") {
			resp.Replaces = []string{"clusterIdentifier"}
		}
	}
	return resp, nil
}

func (p *kubeProvider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	var kubeconfig string
	if args := req.GetArgs(); args != nil {
		m, err := unmarshal(args, plainOpts)
		if err != nil {
			return nil, err
		}
		if v, ok := m["kubeconfig"]; ok && v.IsString() {
			kubeconfig = v.StringValue()
		}
	} else {
		kubeconfig = req.GetVariables()["kubernetes:config:kubeconfig"]
	}
	if kubeconfig == "" {
		kubeconfig = os.Getenv("KUBECONFIG")
	}
	if kubeconfig != "" {
		if err := p.connect(kubeconfig); err != nil {
			return nil, fmt.Errorf("kubeconfig: %w", err)
		}
	}
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

func (p *kubeProvider) connect(kubeconfig string) error {
	var cfg *rest.Config
	var err error
	if strings.Contains(kubeconfig, "apiVersion") || strings.Contains(kubeconfig, "{") {
		cfg, err = clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	} else {
		cfg, err = clientcmd.BuildConfigFromFlags("", kubeconfig)
	}
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 100, 200
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dyn = dyn
	p.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	return nil
}

func (p *kubeProvider) client() (dynamic.Interface, *restmapper.DeferredDiscoveryRESTMapper, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dyn == nil {
		return nil, nil, fmt.Errorf("the provider has no kubeconfig")
	}
	return p.dyn, p.mapper, nil
}

// resourceFor maps an object to its REST resource, refreshing discovery once (CRDs may be new).
func (p *kubeProvider) resourceFor(obj *unstructured.Unstructured) (dynamic.ResourceInterface, error) {
	dyn, mapper, err := p.client()
	if err != nil {
		return nil, err
	}
	gvk := obj.GroupVersionKind()
	mapping, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		mapper.Reset()
		if mapping, err = mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			return nil, err
		}
	}
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		ns := obj.GetNamespace()
		if ns == "" {
			ns = "default"
			obj.SetNamespace(ns)
		}
		return dyn.Resource(mapping.Resource).Namespace(ns), nil
	}
	return dyn.Resource(mapping.Resource), nil
}

func objectOf(m resource.PropertyMap) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: m.Mappable()}
}

func idOf(obj *unstructured.Unstructured) string {
	if ns := obj.GetNamespace(); ns != "" {
		return ns + "/" + obj.GetName()
	}
	return obj.GetName()
}

// outputsOf is the live object as Pulumi properties.
func outputsOf(obj *unstructured.Unstructured) (*structpb.Struct, error) {
	return marshal(resource.NewPropertyMapFromMap(obj.Object))
}

func (p *kubeProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.GetNews(), opts)
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	for _, k := range []resource.PropertyKey{"apiVersion", "kind"} {
		if v, ok := news[k]; !ok || (!v.IsString() && !v.IsComputed()) {
			failures = append(failures, &pulumirpc.CheckFailure{Property: string(k), Reason: "required"})
		}
	}
	if md, ok := news["metadata"]; !ok || !md.IsObject() || !md.ObjectValue().HasValue("name") {
		failures = append(failures, &pulumirpc.CheckFailure{Property: "metadata.name", Reason: "this stand-in provider does not auto-name objects"})
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

func changedKeys(d *resource.ObjectDiff) []string {
	var keys []string
	for _, k := range d.ChangedKeys() {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	return keys
}

func (p *kubeProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOldInputs(), opts)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews(), opts)
	if err != nil {
		return nil, err
	}
	d := olds.Diff(news)
	if d == nil {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: changedKeys(d)}
	for _, path := range [][]string{{"kind"}, {"metadata", "name"}, {"metadata", "namespace"}} {
		if !equalAt(olds, news, path) {
			resp.Replaces = append(resp.Replaces, strings.Join(path, "."))
		}
	}
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for _, k := range resp.Diffs {
		kind := pulumirpc.PropertyDiff_UPDATE
		if !olds.HasValue(resource.PropertyKey(k)) {
			kind = pulumirpc.PropertyDiff_ADD
		} else if !news.HasValue(resource.PropertyKey(k)) {
			kind = pulumirpc.PropertyDiff_DELETE
		}
		detailed[k] = &pulumirpc.PropertyDiff{Kind: kind}
	}
	for _, r := range resp.Replaces {
		detailed[r] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_UPDATE_REPLACE}
	}
	resp.DetailedDiff, resp.HasDetailedDiff = detailed, true
	return resp, nil
}

func equalAt(a, b resource.PropertyMap, path []string) bool {
	va, vb := resource.NewObjectProperty(a), resource.NewObjectProperty(b)
	for _, k := range path {
		if va.IsObject() {
			va = va.ObjectValue()[resource.PropertyKey(k)]
		} else {
			va = resource.NewNullProperty()
		}
		if vb.IsObject() {
			vb = vb.ObjectValue()[resource.PropertyKey(k)]
		} else {
			vb = resource.NewNullProperty()
		}
	}
	return va.DeepEquals(vb)
}

// apply creates or updates the object with server-side apply, as the field manager the real
// provider uses, forcing ownership so fields removed from the inputs are removed live.
func (p *kubeProvider) apply(ctx context.Context, inputs *structpb.Struct) (*unstructured.Unstructured, error) {
	m, err := unmarshal(inputs, plainOpts)
	if err != nil {
		return nil, err
	}
	obj := objectOf(m)
	unstructured.RemoveNestedField(obj.Object, "status")
	ri, err := p.resourceFor(obj)
	if err != nil {
		return nil, err
	}
	return ri.Apply(ctx, obj.GetName(), obj, metav1.ApplyOptions{FieldManager: fieldManager, Force: true})
}

func (p *kubeProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
	}
	live, err := p.apply(ctx, req.GetProperties())
	if err != nil {
		return nil, err
	}
	out, err := outputsOf(live)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: idOf(live), Properties: out}, nil
}

func (p *kubeProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	if req.GetPreview() {
		return &pulumirpc.UpdateResponse{Properties: req.GetNews()}, nil
	}
	live, err := p.apply(ctx, req.GetNews())
	if err != nil {
		return nil, err
	}
	out, err := outputsOf(live)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

// target is the object named by a resource's id and type token `kubernetes:<group/version>:<Kind>`.
func (p *kubeProvider) target(id string, typeToken string, props *structpb.Struct) (*unstructured.Unstructured, dynamic.ResourceInterface, error) {
	obj := &unstructured.Unstructured{Object: map[string]any{}}
	if m, err := unmarshal(props, plainOpts); err == nil && len(m) > 0 {
		obj = objectOf(m)
	}
	parts := strings.Split(typeToken, ":")
	if len(parts) == 3 && obj.GetKind() == "" {
		gv, err := schema.ParseGroupVersion(strings.TrimPrefix(parts[1], "core/"))
		if err == nil {
			obj.SetGroupVersionKind(gv.WithKind(parts[2]))
		}
	}
	ns, name := "", id
	if i := strings.Index(id, "/"); i >= 0 {
		ns, name = id[:i], id[i+1:]
	}
	obj.SetName(name)
	obj.SetNamespace(ns)
	ri, err := p.resourceFor(obj)
	return obj, ri, err
}

func (p *kubeProvider) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	obj, ri, err := p.target(req.GetId(), resourceType(req.GetUrn()), req.GetProperties())
	if err != nil {
		return nil, err
	}
	live, err := ri.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return &pulumirpc.ReadResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	out, err := outputsOf(live)
	if err != nil {
		return nil, err
	}
	inputs := req.GetInputs()
	if inputs == nil {
		inputs = out
	}
	return &pulumirpc.ReadResponse{Id: idOf(live), Properties: out, Inputs: inputs}, nil
}

func (p *kubeProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	obj, ri, err := p.target(req.GetId(), resourceType(req.GetUrn()), req.GetProperties())
	if err != nil {
		return nil, err
	}
	// Background: the API server removes the object at once; dependents are left to the
	// garbage collector, which the tests do not run (each object is its own Pulumi resource).
	policy := metav1.DeletePropagationBackground
	err = ri.Delete(ctx, obj.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy})
	if err != nil && !apierrors.IsNotFound(err) {
		return nil, err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := ri.Get(ctx, obj.GetName(), metav1.GetOptions{}); apierrors.IsNotFound(err) {
			return &pbempty.Empty{}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s still exists 2 minutes after deletion (finalizers?)", req.GetId())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// resourceType is the type token of a URN: urn:pulumi:stack::project::parent$type::name.
func resourceType(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return ""
	}
	types := strings.Split(parts[2], "$")
	return types[len(types)-1]
}
