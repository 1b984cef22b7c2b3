// Access logs of the gateway pods: the Telemetry that selects them, the extension provider a
// format needs (printed for the mesh config in istio mode, applied as ASMExtensionProvider in asm
// mode), checked against the upstream schemas.
import { expect } from "chai";
import YAML from "yaml";
import type { MeshGatewayArgs } from "../components/meshGateway";
import type { GatewayFleetSpec } from "../core/fleet";
import type { AccessLogSettings } from "../core/observability";
import { planFleet, type FleetPlan } from "../core/plan";
import type { KubeObject } from "../core/render/common";
import { runGateway } from "./support/fleet";
import { assertValidObjects } from "./support/schemas";

type Obj = KubeObject & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const clusters = [
    { id: "c1", kubeconfig: "kc1", region: "cn-hangzhou" },
    { id: "c2", kubeconfig: "kc2", region: "cn-hangzhou" },
];
const fleet = (accessLogs: AccessLogSettings, extra: Partial<GatewayFleetSpec> = {}): GatewayFleetSpec => ({
    name: "edge",
    mode: "istio",
    namespace: "gateways",
    clusters,
    gateway: {},
    observability: { accessLogs },
    ...extra,
});
const wafFields = [
    { name: "waf_request_id", requestHeader: "X-Waf-Request-Id" },
    { name: "client_chain", requestHeader: "x-forwarded-for", maxLength: 256 },
    { name: "served_by", responseHeader: "X-Served-By" },
];

const ofKind = (objects: KubeObject[], kind: string): Obj[] => objects.filter((o) => o.kind === kind) as Obj[];
const allObjects = (plan: FleetPlan): KubeObject[] => [...plan.controlPlaneObjects, ...plan.clusters.flatMap((c) => c.objects)];

/** The mesh config YAML a warning prints, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, read field by field in assertions
function meshConfigOf(plan: FleetPlan): { meshConfig: { extensionProviders: Record<string, any>[] } } | undefined {
    const w = plan.warnings.find((x) => x.message.includes("meshConfig:"));
    return w === undefined ? undefined : YAML.parse(w.message.slice(w.message.indexOf("meshConfig:")));
}

describe("access logs", () => {
    it("turns logs on with the mesh's built-in envoy provider, selecting exactly the gateway pods, in every cluster", () => {
        const plan = planFleet(fleet({}));
        for (const c of plan.clusters) {
            const [telemetry] = ofKind(c.objects, "Telemetry");
            expect(telemetry.apiVersion).to.equal("telemetry.istio.io/v1");
            expect(telemetry.metadata.namespace).to.equal("gateways");
            expect(telemetry.spec.accessLogging).to.deep.equal([{ providers: [{ name: "envoy" }], disabled: false }]);
            const [deployment] = ofKind(c.objects, "Deployment");
            const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
            for (const [k, v] of Object.entries(telemetry.spec.selector.matchLabels as Record<string, string>))
                expect(podLabels[k]).to.equal(v);
            expect(deployment.spec.selector.matchLabels).to.deep.equal(telemetry.spec.selector.matchLabels);
        }
        expect(meshConfigOf(plan)).to.equal(undefined);
        assertValidObjects(allObjects(plan));
    });

    it("turns logs off by naming the provider it disables, so the legacy meshConfig.accessLogFile cannot take over", () => {
        const plan = planFleet(fleet({ enabled: false }));
        const [telemetry] = ofKind(plan.clusters[0].objects, "Telemetry");
        expect(telemetry.spec.accessLogging).to.deep.equal([{ providers: [{ name: "envoy" }], disabled: true }]);
        assertValidObjects(allObjects(plan));
    });

    it("renders nothing when access logs are not configured", () => {
        const plan = planFleet({ ...fleet({}), observability: undefined });
        expect(allObjects(plan).filter((o) => o.kind === "Telemetry")).to.have.length(0);
    });

    it("JSON with header fields: a Telemetry naming the gateway's provider, and the exact mesh config entry in a warning", () => {
        const plan = planFleet(fleet({ format: "json", fields: wafFields }));
        const [telemetry] = ofKind(plan.clusters[1].objects, "Telemetry");
        expect(telemetry.spec.accessLogging).to.deep.equal([{ providers: [{ name: "edge-access-log" }], disabled: false }]);
        // Nothing in the clusters pretends to be the mesh config.
        expect(allObjects(plan).map((o) => o.kind)).not.to.include("ASMExtensionProvider");
        const warning = plan.warnings.find((w) => w.path === "observability.accessLogs.format");
        expect(warning?.message)
            .to.match(/only the mesh config can define/)
            .and.match(/writes no access log/);
        const [provider] = meshConfigOf(plan)!.meshConfig.extensionProviders;
        expect(provider.name).to.equal("edge-access-log");
        expect(provider.envoyFileAccessLog.path).to.equal("/dev/stdout");
        const labels = provider.envoyFileAccessLog.logFormat.labels as Record<string, string>;
        // Istio's labels replace its defaults whole: the defaults are kept, the fields added.
        expect(labels.x_forwarded_for).to.equal("%REQ(X-FORWARDED-FOR)%");
        expect(labels.response_code).to.equal("%RESPONSE_CODE%");
        expect(labels.waf_request_id).to.equal("%REQ(X-WAF-REQUEST-ID)%");
        expect(labels.client_chain).to.equal("%REQ(X-FORWARDED-FOR):256%");
        expect(labels.served_by).to.equal("%RESP(X-SERVED-BY)%");
        assertValidObjects(allObjects(plan));
    });

    it("text with header fields: Istio's text format followed by name=\"value\" pairs, under a provider name of the user's choosing", () => {
        const plan = planFleet(fleet({ format: "text", provider: "edge-waf-log", fields: wafFields }));
        expect(ofKind(plan.clusters[0].objects, "Telemetry")[0].spec.accessLogging[0].providers).to.deep.equal([{ name: "edge-waf-log" }]);
        const [provider] = meshConfigOf(plan)!.meshConfig.extensionProviders;
        expect(provider.name).to.equal("edge-waf-log");
        const text = provider.envoyFileAccessLog.logFormat.text as string;
        expect(text.startsWith('[%START_TIME%] "%REQ(:METHOD)%')).to.equal(true);
        expect(
            text.endsWith(
                ' waf_request_id="%REQ(X-WAF-REQUEST-ID)%" client_chain="%REQ(X-FORWARDED-FOR):256%" served_by="%RESP(X-SERVED-BY)%"',
            ),
        ).to.equal(true);
    });

    it("a format without fields still needs its own provider: the built-in one follows the mesh's format", () => {
        const plan = planFleet(fleet({ format: "json" }));
        const [provider] = meshConfigOf(plan)!.meshConfig.extensionProviders;
        expect(Object.keys(provider.envoyFileAccessLog.logFormat.labels)).to.include("start_time");
    });

    it("speaks telemetry.istio.io/v1alpha1 to an Istio older than 1.22", () => {
        const plan = planFleet(fleet({ format: "text" }, { istioVersion: "1.21" }));
        expect(ofKind(plan.clusters[0].objects, "Telemetry")[0].apiVersion).to.equal("telemetry.istio.io/v1alpha1");
        assertValidObjects(allObjects(plan));
    });

    it("asm mode: the ASMExtensionProvider and the Telemetry go to the control plane, nothing to the clusters", () => {
        const plan = planFleet(
            fleet(
                { format: "json", fields: wafFields },
                { mode: "asm", namespace: undefined, controlPlane: { kubeconfig: "cp" }, clusters: [{ id: "c1" }] },
            ),
        );
        expect(plan.clusters[0].objects.map((o) => o.kind)).not.to.include("Telemetry");
        const [provider] = ofKind(plan.controlPlaneObjects, "ASMExtensionProvider");
        const [telemetry] = ofKind(plan.controlPlaneObjects, "Telemetry");
        expect(provider.metadata.name).to.equal("edge-access-log");
        expect(provider.metadata.namespace).to.equal(undefined);
        const line = JSON.parse(provider.spec.envoyFileAccessLog.logFormat.text as string) as Record<string, string>;
        expect(line.waf_request_id).to.equal("%REQ(X-WAF-REQUEST-ID)%");
        expect(line.authority).to.equal("%REQ(:AUTHORITY)%");
        expect(telemetry.metadata.namespace).to.equal("istio-system");
        expect(telemetry.spec.accessLogging[0].providers).to.deep.equal([{ name: "edge-access-log" }]);
        const [gateway] = ofKind(plan.controlPlaneObjects, "IstioGateway");
        expect(gateway.metadata.name).to.equal("edge");
        // ASM applies the provider itself: no mesh config to print; the JSON-in-text caveat is told.
        expect(meshConfigOf(plan)).to.equal(undefined);
        expect(plan.warnings.map((w) => w.message).join("\n")).to.match(/does not escape values/);
        assertValidObjects(allObjects(plan));
    });

    it("asm mode warns about JSON in a text format even without extra fields (User-Agent is one of Istio's)", () => {
        const plan = planFleet(
            fleet({ format: "json" }, { mode: "asm", namespace: undefined, controlPlane: { kubeconfig: "cp" }, clusters: [{ id: "c1" }] }),
        );
        expect(
            plan.warnings
                .filter((w) => w.path === "observability.accessLogs.format")
                .map((w) => w.message)
                .join("\n"),
        ).to.match(/does not escape values/);
    });

    it("asm mode with the built-in provider: only the Telemetry", () => {
        const plan = planFleet(
            fleet({ enabled: false }, { mode: "asm", namespace: undefined, controlPlane: { kubeconfig: "cp" }, clusters: [{ id: "c1" }] }),
        );
        expect(
            plan.controlPlaneObjects.filter((o) => o.kind === "Telemetry" || o.kind === "ASMExtensionProvider").map((o) => o.kind),
        ).to.deep.equal(["Telemetry"]);
        assertValidObjects(allObjects(plan));
    });

    it("the component registers the Telemetry in each cluster", async function () {
        this.timeout(120_000);
        const args: MeshGatewayArgs = {
            mode: "istio",
            namespace: "gateways",
            clusters,
            gateway: {},
            observability: { accessLogs: { format: "json", fields: wafFields } },
        };
        const run = await runGateway("edge", args);
        const telemetries = run.objects.filter((o) => o.object.kind === "Telemetry");
        expect(telemetries.map((t) => t.scope)).to.have.length(2);
        expect(new Set(telemetries.map((t) => t.scope)).size).to.equal(2);
        expect(telemetries[0].object.metadata.name).to.equal("istio-edge-access-logs");
    });
});
