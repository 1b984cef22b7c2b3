import { expect } from "chai";
import type { DaemonSet, Deployment } from "kubernetes-types/apps/v1";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2";
import type { Service } from "kubernetes-types/core/v1";
import { planFleet } from "../core/plan";
import { COMPRESSION_FILTER_PRIORITY } from "../core/render/istio";
import type { KubeObject } from "../core/render/common";
import type { GatewaySpec } from "../core/spec";
import { assertValidObjects } from "./support/schemas";
import { fixture, runGateway, valueOf } from "./support/fleet";
import { find } from "./support/objects";

const twoClusters = [
    { id: "c1", kubeconfig: "kubeconfig-c1" },
    { id: "c2", kubeconfig: "kubeconfig-c2" },
];

describe("istio mode", () => {
    it("renders the chart's objects in every cluster, each valid against the Kubernetes schemas", async () => {
        const run = await runGateway("edge", {
            mode: "istio",
            clusters: twoClusters,
            gateway: { overrides: { c2: { replicaCount: 3, serviceAnnotations: { "example.com/team": "b" } } } },
        });
        const byScope = (s: string) => run.objects.filter((o) => o.scope === s).map((o) => o.object);
        expect(
            byScope("edge-c1")
                .map((o) => o.kind)
                .sort(),
        ).to.deep.equal(["Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"]);
        expect(
            byScope("edge-c2")
                .map((o) => o.kind)
                .sort(),
        ).to.deep.equal(["Deployment", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"]);
        assertValidObjects(run.objects.map((o) => o.object));

        const d1 = find<Deployment>(byScope("edge-c1"), "Deployment");
        const d2 = find<Deployment>(byScope("edge-c2"), "Deployment");
        expect(d1.spec!.replicas).to.equal(1);
        expect(d2.spec!.replicas).to.equal(3);
        expect(find<Service>(byScope("edge-c2"), "Service").metadata.annotations).to.deep.equal({ "example.com/team": "b" });
        expect(find<Service>(byScope("edge-c1"), "Service").metadata.annotations).to.equal(undefined);

        const pod = d1.spec!.template;
        expect(pod.metadata!.labels).to.include({
            app: "istio-edge",
            istio: "edge",
            "sidecar.istio.io/inject": "true",
            "istio.io/dataplane-mode": "none",
        });
        expect(pod.metadata!.annotations).to.include({ "inject.istio.io/templates": "gateway" });
        expect(JSON.parse(pod.metadata!.annotations!["proxy.istio.io/config"])).to.deep.equal({ terminationDrainDuration: "30s" });
        expect(pod.spec!.terminationGracePeriodSeconds).to.equal(30);
        const container = pod.spec!.containers[0];
        expect(container.name).to.equal("istio-proxy");
        expect(container.image).to.equal("auto");
        expect(container.securityContext).to.include({ runAsNonRoot: true, readOnlyRootFilesystem: true });
        // The injector picks the proxy's user and group (OpenShift assigns them per namespace).
        expect(container.securityContext).to.not.have.any.keys("runAsUser", "runAsGroup");
        expect(pod.spec!.securityContext!.sysctls).to.deep.equal([{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }]);
        const spread = pod.spec!.affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution!;
        expect(spread.map((t) => t.podAffinityTerm.topologyKey)).to.deep.equal(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);

        const svc = find<Service>(byScope("edge-c1"), "Service");
        expect(svc.spec!.type).to.equal("LoadBalancer");
        expect(svc.spec!.selector).to.deep.equal({ app: "istio-edge", istio: "edge" });
        expect(svc.spec!.ports!.map((p) => [p.name, p.port, p.targetPort, p.appProtocol])).to.deep.equal([
            ["status-port", 15021, 15021, "tcp"],
            ["http2", 80, 80, "http2"],
            ["https", 443, 443, "https"],
        ]);
    });

    it("gives each cluster its own provider with a stable identity and a secret kubeconfig", async () => {
        const run = await runGateway("edge", { mode: "istio", clusters: [{ id: "c1", kubeconfig: "kc-1" }, { id: "c2" }], gateway: {} });
        const providers = run.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
        expect(providers.map((p) => p.name)).to.deep.equal(["edge-c1", "edge-c2"]);
        for (const p of providers) {
            expect(p.inputs.kubeconfig).to.equal("[secret]");
            expect(p.parent).to.match(/mesh-gateway:index:MeshGateway::edge$/);
        }
        expect(providers.map((p) => p.inputs.clusterIdentifier)).to.deep.equal(["c1", "c2"]);
        for (const r of run.resources.filter((x) => x.type !== "mesh-gateway:index:MeshGateway")) {
            expect(r.parent, r.name).to.match(/::edge$/);
        }
        expect(JSON.stringify(run.resources)).not.to.contain("kc-1");
        expect(JSON.stringify(run.resources)).not.to.contain("ack credential");
    });

    it("publishes every cluster's address, from the Service status", async () => {
        const run = await runGateway("edge", { mode: "istio", clusters: twoClusters, gateway: {} });
        const addresses = await valueOf(run.gateway.addresses);
        expect(Object.keys(addresses)).to.deep.equal(["c1", "c2"]);
        for (const a of Object.values(addresses)) {
            expect(a.serviceName).to.equal("istio-edge");
            expect(a.namespace).to.equal("istio-system");
            expect(a.address).to.match(/^47\.100\.0\.\d+$/);
            expect(a.addressKind).to.equal("IPv4");
        }
        expect(addresses.c1.address).not.to.equal(addresses.c2.address);
    });

    it("lets an HPA own the replica count: no spec.replicas, and a PDB when two replicas are guaranteed", () => {
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1" }],
            gateway: {
                replicaCount: 5,
                minReplicas: 2,
                maxReplicas: 10,
                cpu: { targetAverageUtilization: 70 },
                memory: { targetAverageUtilization: 85 },
            },
        });
        const objects = plan.clusters[0].objects;
        assertValidObjects(objects);
        expect(find<Deployment>(objects, "Deployment").spec).not.to.have.property("replicas");
        const hpa = find<HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler");
        expect(hpa.spec!.minReplicas).to.equal(2);
        expect(hpa.spec!.maxReplicas).to.equal(10);
        expect(hpa.spec!.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "istio-edge" });
        expect(hpa.spec!.metrics!.map((m) => [m.resource!.name, m.resource!.target.averageUtilization])).to.deep.equal([
            ["cpu", 70],
            ["memory", 85],
        ]);
        expect(objects.map((o) => o.kind)).to.include("PodDisruptionBudget");
    });

    it("makes no PDB for a single guaranteed replica (it would block node drains)", () => {
        const plan = planFleet({ name: "edge", mode: "istio", clusters: [{ id: "c1" }], gateway: { maxReplicas: 4 } });
        expect(plan.clusters[0].objects.map((o) => o.kind)).to.deep.equal([
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
        ]);
    });

    it("maps rolling update, volumes, kernel parameters, probes, lifecycle and host networking", () => {
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1" }],
            gracefulShutdown: { drainSeconds: 20, terminationGracePeriodSeconds: 45 },
            gateway: {
                rollingMaxSurge: "100%",
                rollingMaxUnavailable: 0,
                configVolumes: [{ name: "lua", configMapName: "lua-libs", mountPath: "/var/lib/lua" }],
                secretVolumes: [{ name: "certs", secretName: "edge-certs", mountPath: "/etc/istio/certs" }],
                kernel: { enabled: true, parameters: { "net.core.somaxconn": "65535", "net.ipv4.ip_local_port_range": "1024 65000" } },
                readinessProbe: { failureThreshold: 5, periodSeconds: 3 },
                lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } },
                nodeSelector: { "node.kubernetes.io/role": "edge" },
                tolerations: [{ key: "edge", operator: "Exists", effect: "NoSchedule" }],
                env: [{ name: "ISTIO_META_ROUTER_MODE", value: "sni-dnat" }],
                dnsPolicy: "ClusterFirst",
            },
        });
        const objects = plan.clusters[0].objects;
        assertValidObjects(objects);
        const d = find<Deployment>(objects, "Deployment");
        expect(d.spec!.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: "100%", maxUnavailable: 0 } });
        const pod = d.spec!.template.spec!;
        expect(pod.volumes).to.deep.equal([
            { name: "lua", configMap: { name: "lua-libs" } },
            { name: "certs", secret: { secretName: "edge-certs" } },
        ]);
        expect(pod.containers[0].volumeMounts).to.deep.equal([
            { name: "lua", mountPath: "/var/lib/lua", readOnly: true },
            { name: "certs", mountPath: "/etc/istio/certs", readOnly: true },
        ]);
        expect(pod.securityContext!.sysctls).to.deep.equal([
            { name: "net.ipv4.ip_unprivileged_port_start", value: "0" },
            { name: "net.core.somaxconn", value: "65535" },
            { name: "net.ipv4.ip_local_port_range", value: "1024 65000" },
        ]);
        expect(pod.terminationGracePeriodSeconds).to.equal(45);
        const annotations = d.spec!.template.metadata!.annotations!;
        expect(JSON.parse(annotations["proxy.istio.io/config"])).to.deep.equal({ terminationDrainDuration: "20s" });
        expect(annotations["readiness.status.sidecar.istio.io/failureThreshold"]).to.equal("5");
        expect(annotations["readiness.status.sidecar.istio.io/periodSeconds"]).to.equal("3");
        expect(pod.containers[0].lifecycle).to.deep.equal({ preStop: { exec: { command: ["sleep", "5"] } } });
        expect(pod.containers[0].env).to.deep.equal([{ name: "ISTIO_META_ROUTER_MODE", value: "sni-dnat" }]);
        expect(plan.warnings.map((w) => w.path)).to.include('gateway.kernel.parameters["net.core.somaxconn"]');
    });

    it("keeps unapplied kernel parameters out of the pod", () => {
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1" }],
            gateway: { kernel: { enabled: false, parameters: { "net.core.somaxconn": "1024" } } },
        });
        const d = find<Deployment>(plan.clusters[0].objects, "Deployment");
        expect(d.spec!.template.spec!.securityContext!.sysctls).to.deep.equal([
            { name: "net.ipv4.ip_unprivileged_port_start", value: "0" },
        ]);
    });

    it("runs as root on the host network without net.* sysctls", () => {
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1" }],
            gateway: { hostNetwork: true, runAsRoot: true, dnsPolicy: "ClusterFirstWithHostNet" },
        });
        const objects = plan.clusters[0].objects;
        assertValidObjects(objects);
        const pod = find<Deployment>(objects, "Deployment").spec!.template.spec!;
        expect(pod.hostNetwork).to.equal(true);
        expect(pod.securityContext).to.equal(undefined);
        expect(pod.containers[0].securityContext).to.deep.equal({ runAsUser: 0, runAsGroup: 0, runAsNonRoot: false });
    });

    it("adds a gzip EnvoyFilter before the router when compression is on", () => {
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1" }],
            gateway: {
                compression: {
                    enabled: true,
                    content_type: ["application/json"],
                    min_content_length: 100,
                    disable_on_etag_header: true,
                    remove_accept_encoding_header: true,
                    gzip: {
                        memory_level: 9,
                        compression_level: "BEST_COMPRESSION",
                        compression_strategy: "RLE",
                        window_bits: 15,
                        chunk_size: 8192,
                    },
                },
            },
        });
        const objects = plan.clusters[0].objects;
        assertValidObjects(objects);
        const filter = find<{
            spec: {
                priority?: number;
                workloadSelector: unknown;
                configPatches: {
                    match: { context: string };
                    patch: { operation: string; value: { typed_config: Record<string, unknown> } };
                }[];
            };
        }>(objects, "EnvoyFilter");
        expect(filter.apiVersion).to.equal("networking.istio.io/v1alpha3");
        // A relative patch (INSERT_BEFORE) in a filter without a priority may not be applied (IST0151).
        expect(filter.spec.priority).to.equal(COMPRESSION_FILTER_PRIORITY);
        expect(filter.spec.workloadSelector).to.deep.equal({ labels: { app: "istio-edge", istio: "edge" } });
        const patch = filter.spec.configPatches[0];
        expect(patch.match.context).to.equal("GATEWAY");
        expect(patch.patch.operation).to.equal("INSERT_BEFORE");
        expect(patch.patch.value.typed_config).to.deep.equal({
            "@type": "type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor",
            response_direction_config: {
                common_config: { min_content_length: 100, content_type: ["application/json"] },
                disable_on_etag_header: true,
                remove_accept_encoding_header: true,
            },
            compressor_library: {
                name: "text_optimized",
                typed_config: {
                    "@type": "type.googleapis.com/envoy.extensions.compression.gzip.compressor.v3.Gzip",
                    memory_level: 9,
                    compression_level: "BEST_COMPRESSION",
                    compression_strategy: "RLE",
                    window_bits: 15,
                    chunk_size: 8192,
                },
            },
        });
    });

    it("installs an egress gateway as a ClusterIP Service reached at its cluster IP", async () => {
        const run = await runGateway("egress", {
            mode: "istio",
            clusters: twoClusters,
            gateway: { gatewayType: "egress", ports: [{ name: "https", port: 443, protocol: "TLS" }] },
        });
        assertValidObjects(run.objects.map((o) => o.object));
        const svc = run.objects.find((o) => o.object.kind === "Service")!.object as KubeObject & Service;
        expect(svc.spec!.type).to.equal("ClusterIP");
        const addresses = await valueOf(run.gateway.addresses);
        expect(addresses.c1.address).to.match(/^10\.96\.0\.\d+$/);
    });

    it("renders both ASM reference examples as self-managed Istio, with overrides resolved per cluster", () => {
        for (const file of ["asm-ingress-example.yaml", "asm-egress-example.yaml"]) {
            const { name, spec } = fixture(file);
            const plan = planFleet({ name, mode: "istio", clusters: spec.clusterIds!.map((id) => ({ id })), gateway: spec });
            for (const c of plan.clusters) assertValidObjects(c.objects);
        }
        const { name, spec } = fixture("asm-ingress-example.yaml");
        const plan = planFleet({ name, mode: "istio", clusters: spec.clusterIds!.map((id) => ({ id })), gateway: spec });
        const [d1, d2] = plan.clusters.map((c) => find<Deployment>(c.objects, "Deployment"));
        expect(d1.spec!.replicas).to.equal(1);
        expect(d2.spec!.replicas).to.equal(2);
        expect(d2.spec!.template.spec!.containers[0].resources).to.deep.equal({
            limits: { cpu: "4", memory: "4G" },
            requests: { cpu: "400m", memory: "512Mi" },
        });
        const svc2 = find<Service>(plan.clusters[1].objects, "Service");
        expect(svc2.metadata.annotations!["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec"]).to.equal("slb.s2.small");
        // ASM's "targetPort: 0" means "same as port".
        expect(svc2.spec!.ports!.find((p) => p.name === "https")!.targetPort).to.equal(443);
        expect(svc2.spec!.externalTrafficPolicy).to.equal("Local");
    });
    it("renders the chart's values beyond the IstioGateway CRD where the chart puts them", () => {
        const selector = { matchLabels: { app: "istio-edge", istio: "edge" } };
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1", kubeconfig: "kc" }],
            gateway: {
                minReplicas: 2,
                maxReplicas: 6,
                loadBalancerSourceRanges: ["203.0.113.0/24"],
                ipFamilyPolicy: "PreferDualStack",
                ipFamilies: ["IPv4", "IPv6"],
                externalIPs: ["198.51.100.7"],
                topologySpreadConstraints: [
                    {
                        maxSkew: 1,
                        topologyKey: "topology.kubernetes.io/zone",
                        whenUnsatisfiable: "ScheduleAnyway",
                        labelSelector: selector,
                    },
                ],
                priorityClassName: "system-cluster-critical",
                imagePullSecrets: [{ name: "registry" }],
                serviceAccountAnnotations: { "pod-identity.alibabacloud.com/role-name": "edge-gateway" },
                autoscaleBehavior: {
                    scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
                },
                podDisruptionBudget: { maxUnavailable: "25%" },
                annotations: { "example.com/owner": "edge", "example.com/shared": "top" },
                serviceAnnotations: { "example.com/shared": "service" },
            },
        });
        const objects = plan.clusters[0].objects;
        assertValidObjects(objects);
        const svc = find<Service>(objects, "Service");
        expect(svc.spec).to.deep.include({
            loadBalancerSourceRanges: ["203.0.113.0/24"],
            ipFamilyPolicy: "PreferDualStack",
            ipFamilies: ["IPv4", "IPv6"],
            externalIPs: ["198.51.100.7"],
        });
        expect(svc.metadata.annotations).to.deep.equal({ "example.com/owner": "edge", "example.com/shared": "service" });
        const pod = find<Deployment>(objects, "Deployment").spec!.template.spec!;
        expect(pod.topologySpreadConstraints).to.deep.equal([
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
        ]);
        expect(pod.priorityClassName).to.equal("system-cluster-critical");
        expect(pod.imagePullSecrets).to.deep.equal([{ name: "registry" }]);
        expect(find<KubeObject>(objects, "ServiceAccount").metadata.annotations).to.deep.equal({
            "example.com/owner": "edge",
            "example.com/shared": "top",
            "pod-identity.alibabacloud.com/role-name": "edge-gateway",
        });
        expect(find<HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler").spec!.behavior).to.deep.equal({
            scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
        });
        expect(find<{ spec: object }>(objects, "PodDisruptionBudget").spec).to.deep.equal({ maxUnavailable: "25%", selector });
        for (const o of objects) expect(o.metadata.annotations, o.kind).to.include({ "example.com/owner": "edge" });
    });
    it("runs a DaemonSet where a cluster asks for one: no replicas, HPA, PDB or spreading, and its own update strategy", () => {
        const plan = planFleet({
            name: "edge",
            mode: "istio",
            clusters: [{ id: "c1" }, { id: "c2" }],
            gateway: { replicaCount: 3, rollingMaxUnavailable: 0, rollingMaxSurge: 1, overrides: { c2: { kind: "DaemonSet" } } },
        });
        expect(plan.warnings.map((w) => `${w.path}: ${w.message}`)).to.include(
            'gateway.overrides["c2"].kind: this cluster runs a DaemonSet, so the base spec\'s replicaCount does not apply to it: it runs one pod on each node the pods may schedule on (no replica count, no HPA)',
        );
        const [c1, c2] = plan.clusters.map((c) => c.objects);
        assertValidObjects(c2);
        expect(c1.map((o) => o.kind)).to.include.members(["Deployment", "PodDisruptionBudget"]);
        expect(c2.map((o) => o.kind)).to.deep.equal(["ServiceAccount", "Role", "RoleBinding", "DaemonSet", "Service"]);
        const ds = find<DaemonSet>(c2, "DaemonSet");
        expect(ds.spec).not.to.have.property("replicas");
        expect(ds.spec).not.to.have.property("strategy");
        // Kubernetes would default maxUnavailable to 1 next to the surge, which it refuses for a DaemonSet.
        expect(ds.spec!.updateStrategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        expect(ds.spec!.template.spec!.affinity).to.equal(undefined);
        // The same pods as the Deployment's, less the spreading a DaemonSet does by itself.
        const { affinity, ...deploymentPod } = find<Deployment>(c1, "Deployment").spec!.template.spec!;
        expect(affinity).to.have.property("podAntiAffinity");
        expect(ds.spec!.template).to.deep.equal({ ...find<Deployment>(c1, "Deployment").spec!.template, spec: deploymentPod });
    });

    it("warns that source ranges do nothing on a load balancer bound by id (the cloud controller treats it as user-managed)", () => {
        const fleet = (gateway: GatewaySpec) =>
            planFleet({ name: "edge", mode: "istio", clusters: [{ id: "c1", kubeconfig: "kc", region: "cn-hangzhou" }], gateway });
        const warned = (gateway: GatewaySpec) =>
            fleet(gateway)
                .warnings.filter((w) => w.path === "gateway.loadBalancerSourceRanges")
                .map((w) => w.message);
        expect(warned({ loadBalancerSourceRanges: ["10.0.0.0/8"], loadBalancer: { type: "CLB" } }).join()).to.contain(
            "ignores source ranges on a load balancer bound by id",
        );
        expect(warned({ loadBalancerSourceRanges: ["10.0.0.0/8"] })).to.deep.equal([]);
    });
});
