// Every Kubernetes object the product creates carries the product's labels, in both install
// modes and for every feature, so `kubectl get -l app.kubernetes.io/managed-by=mesh-gateway`
// lists all of them and `app.kubernetes.io/part-of=<gateway>` one gateway's.
import { expect } from "chai";
import type { GatewayFleetSpec, InstallMode } from "../core/fleet";
import { planFleet, type FleetPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import { readPlanFiles } from "../components/planFiles";
import { inMode, ROUTING_FLEETS } from "./support/routingFleets";

const CLUSTERS = [
    { id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" },
    { id: "c2", kubeconfig: "kc2", region: "cn-hangzhou" },
];

/** One gateway with every kind of object: workload, autoscaling, load balancers, routing, TLS, security, compression. */
function featureRich(mode: InstallMode): GatewayFleetSpec {
    const istioOnly = mode === "istio" ? { podDisruptionBudget: { maxUnavailable: 1 }, compression: { enabled: true, gzip: {} } } : {};
    return {
        name: "edge",
        mode,
        clusters: CLUSTERS,
        controlPlane: mode === "asm" ? { kubeconfig: "kc" } : undefined,
        gateway: {
            minReplicas: 2,
            maxReplicas: 4,
            cpu: { targetAverageUtilization: 70 },
            loadBalancer: { backendType: "eni" },
            additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-cn-hangzhou-h1", backendType: "eni" }],
            externalTrafficPolicy: "Local",
            ...istioOnly,
        },
        routing: {
            listeners: [
                { name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com", "api.example.com"], httpsRedirect: true },
                {
                    name: "https",
                    port: 443,
                    protocol: "HTTPS",
                    hosts: ["shop.example.com"],
                    tls: { mode: "SIMPLE", credentialName: "shop-cert" },
                },
                {
                    name: "https-api",
                    port: 443,
                    protocol: "HTTPS",
                    hosts: ["api.example.com"],
                    tls: { mode: "SIMPLE", credentialName: "api-cert" },
                },
            ],
            http: [
                {
                    name: "shop",
                    hosts: ["shop.example.com"],
                    destinations: [
                        { host: "shop", subset: "v1", weight: 90 },
                        { host: "shop", subset: "v2", weight: 10 },
                    ],
                },
                { name: "api", hosts: ["api.example.com"], destinations: [{ host: "api" }] },
            ],
            backends: { shop: { subsets: { v1: { version: "v1" }, v2: { version: "v2" } } } },
            rateLimits: [{ hosts: ["api.example.com"], requests: 100, unit: "second" }],
        },
        dns: { zone: "example.com" },
        certificates: [
            { name: "shop-cert", certManager: { issuer: "letsencrypt" }, hosts: ["shop.example.com"] },
            { name: "api-cert", existingSecret: true },
        ],
        security: {
            ipAllow: ["10.0.0.0/8"],
            jwt: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks", hosts: ["api.example.com"] }],
            customAuth: [{ provider: "oauth2-proxy", hosts: ["shop.example.com"], paths: ["/admin/*"] }],
        },
    };
}

function everyObject(plan: FleetPlan): KubeObject[] {
    return [...plan.controlPlaneObjects, ...plan.clusters.flatMap((c) => c.objects)];
}

function unlabelled(plan: FleetPlan, gatewayName: string): string[] {
    return everyObject(plan)
        .filter(
            (o) =>
                o.metadata.labels?.["app.kubernetes.io/managed-by"] !== "mesh-gateway" ||
                o.metadata.labels?.["app.kubernetes.io/part-of"] !== gatewayName,
        )
        .map((o) => `${o.kind}/${o.metadata.name}`);
}

describe("labels on every object", () => {
    for (const mode of ["istio", "asm"] as const) {
        it(`${mode} mode: every object of a feature-rich gateway carries managed-by and part-of`, () => {
            const plan = planFleet(featureRich(mode));
            const kinds = new Set(everyObject(plan).map((o) => o.kind));
            // The walk covers the security and routing kinds that once had no labels.
            expect([...kinds]).to.include.members([
                "AuthorizationPolicy",
                "RequestAuthentication",
                "EnvoyFilter",
                "VirtualService",
                "Gateway",
                "Certificate",
                "Service",
            ]);
            if (mode === "istio")
                expect([...kinds]).to.include.members([
                    "Deployment",
                    "HorizontalPodAutoscaler",
                    "PodDisruptionBudget",
                    "ServiceAccount",
                    "Role",
                    "RoleBinding",
                ]);
            else expect([...kinds]).to.include("IstioGateway");
            expect(unlabelled(plan, "edge")).to.deep.equal([]);
        });

        it(`${mode} mode: every routing feature fleet's objects carry them too`, () => {
            for (const fleets of Object.values(ROUTING_FLEETS)) {
                for (const [title, f] of Object.entries(fleets)) {
                    const spec = inMode(f, mode);
                    expect(unlabelled(planFleet(spec, undefined, readPlanFiles(spec)), f.name), title).to.deep.equal([]);
                }
            }
        });
    }

    it("leaves the labels a user gave a Service", () => {
        const fleet = featureRich("istio");
        const plan = planFleet({ ...fleet, gateway: { ...fleet.gateway, serviceLabels: { "app.kubernetes.io/part-of": "shop" } } });
        const service = plan.clusters[0].objects.find((o) => o.kind === "Service")!;
        expect(service.metadata.labels).to.include({ "app.kubernetes.io/managed-by": "mesh-gateway", "app.kubernetes.io/part-of": "shop" });
    });
});
