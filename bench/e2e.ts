// `npm run bench:e2e`: `pulumi preview` and `up` wall time on the real engine and
// pulumi-kubernetes' own provider, against the e2e harness's clusters (2 data-plane clusters,
// controllers and kwok nodes running), for 10 and 100 routes: the root stack program with
// MeshGateway, next to a hand-written program that registers the same objects (the offline
// plan's) with @pulumi/kubernetes' own classes, one provider per cluster, same run. Each side is
// created on empty clusters and destroyed before the other runs. Also prints the start-up ratio
// (bench/startup.ts). `--routes 10,100` and `--runs N` (default 3; alternating, median) to change.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { Harness, REPO_DIR } from "../tests/e2e/harness";
import { measureStartup } from "./startup";

const CLUSTERS = ["dp-1", "dp-2"];
const PROJECT = "mesh-gateway";

interface PlannedResource {
    type: string;
    name: string;
    cluster?: string;
    inputs: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
}

/** An istio-mode ingress gateway on both clusters with `routes` HTTP routes over `routes / 10` hosts. */
function benchConfig(routes: number): Record<string, unknown> {
    const hostCount = Math.max(1, routes / 10);
    const hosts = Array.from({ length: hostCount }, (_, i) => `app${i}.example.com`);
    const http = Array.from({ length: routes }, (_, i) => ({
        name: `route-${i}`,
        hosts: [hosts[i % hostCount]],
        match: [{ path: { prefix: `/r${i}` } }],
        destinations: [{ host: `svc-${i}`, namespace: "apps", port: 8080 }],
        timeout: "5s",
    }));
    return {
        [`${PROJECT}:gateways`]: [
            {
                name: "bench",
                mode: "istio",
                clusters: CLUSTERS.map((id) => ({ id })),
                gateway: {
                    serviceType: "LoadBalancer",
                    serviceAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "internet" },
                    ports: [
                        { name: "status-port", port: 15021, targetPort: 15021 },
                        { name: "http2", port: 80, targetPort: 80, protocol: "HTTP2" },
                    ],
                    minReplicas: 2,
                    maxReplicas: 10,
                    cpu: { targetAverageUtilization: 70 },
                },
                routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts }], http },
            },
        ],
    };
}

function offlinePlan(dir: string, config: Record<string, unknown>): PlannedResource[] {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "Pulumi.bench.yaml");
    fs.writeFileSync(file, YAML.stringify({ config }));
    execFileSync(process.execPath, [path.join(REPO_DIR, "bin", "cli", "main.js"), "plan", file, "--out", path.join(dir, "out")], {
        stdio: "pipe",
    });
    const plan = JSON.parse(fs.readFileSync(path.join(dir, "out", "plan.json"), "utf8")) as { resources: PlannedResource[] };
    return plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
}

/** The hand-written program: the same objects, each with @pulumi/kubernetes' own class for its kind. */
function handWritten(h: Harness, planned: PlannedResource[]): () => Promise<void> {
    return async () => {
        const providers = new Map(
            CLUSTERS.map((id) => [id, new k8s.Provider(id, { kubeconfig: pulumi.secret(h.api(id).kubeconfig()), clusterIdentifier: id })]),
        );
        for (const r of planned) {
            const opts = { provider: providers.get(r.cluster!)! };
            const args = r.inputs as never;
            switch (`${r.inputs.apiVersion} ${r.inputs.kind}`) {
                case "apps/v1 Deployment":
                    new k8s.apps.v1.Deployment(r.name, args, opts);
                    break;
                case "v1 Service":
                    new k8s.core.v1.Service(r.name, args, opts);
                    break;
                case "v1 ServiceAccount":
                    new k8s.core.v1.ServiceAccount(r.name, args, opts);
                    break;
                case "v1 ConfigMap":
                    new k8s.core.v1.ConfigMap(r.name, args, opts);
                    break;
                case "v1 Secret":
                    new k8s.core.v1.Secret(r.name, args, opts);
                    break;
                case "rbac.authorization.k8s.io/v1 Role":
                    new k8s.rbac.v1.Role(r.name, args, opts);
                    break;
                case "rbac.authorization.k8s.io/v1 RoleBinding":
                    new k8s.rbac.v1.RoleBinding(r.name, args, opts);
                    break;
                case "autoscaling/v2 HorizontalPodAutoscaler":
                    new k8s.autoscaling.v2.HorizontalPodAutoscaler(r.name, args, opts);
                    break;
                case "policy/v1 PodDisruptionBudget":
                    new k8s.policy.v1.PodDisruptionBudget(r.name, args, opts);
                    break;
                default:
                    new k8s.apiextensions.CustomResource(r.name, args, opts);
            }
        }
    };
}

/** The root stack program (index.ts), loaded afresh. */
async function component(): Promise<Record<string, unknown>> {
    const entry = require.resolve(path.join(REPO_DIR, "bin", "index.js"));
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stack program is loaded afresh, after deleting it from the cache
    return { ...(require(entry) as Record<string, unknown>) };
}

async function timed(f: () => Promise<unknown>): Promise<number> {
    const start = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
    const arg = (name: string, fallback: string) => {
        const i = process.argv.indexOf(name);
        return i > 0 ? process.argv[i + 1] : fallback;
    };
    const routeCounts = arg("--routes", "10,100").split(",").map(Number);
    const runs = Number(arg("--runs", "3"));
    const h = await Harness.start({ clusters: CLUSTERS, controlPlane: "asm" });
    process.env.PATH = h.pathWithBinaries();
    const rows: string[] = [];
    try {
        const env = h.pulumiEnv();
        const stackFor = async (name: string, program: () => Promise<unknown>): Promise<Stack> => {
            const workDir = path.join(h.dir, `bench-${name}`);
            fs.mkdirSync(workDir, { recursive: true });
            return LocalWorkspace.createOrSelectStack(
                { stackName: name, projectName: PROJECT, program: program as () => Promise<Record<string, unknown>> },
                {
                    workDir,
                    envVars: env,
                    projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: env.PULUMI_BACKEND_URL } },
                },
            );
        };
        for (const routes of routeCounts) {
            const config = benchConfig(routes);
            const planned = offlinePlan(path.join(h.dir, `plan-${routes}`), config);
            const comp = await stackFor(`component-${routes}`, component);
            const values: Record<string, { value: string; secret?: boolean }> = {};
            for (const [k, v] of Object.entries(config)) values[k] = { value: JSON.stringify(v) };
            for (const id of CLUSTERS) values[`${PROJECT}:kubeconfig-${id}`] = { value: h.api(id).kubeconfig(), secret: true };
            await comp.setAllConfig(values);
            const hand = await stackFor(`hand-${routes}`, handWritten(h, planned));
            const t = { compPreview: [] as number[], compUp: [] as number[], handPreview: [] as number[], handUp: [] as number[] };
            // One untimed preview of each first: the first preview of a run pays for reading the
            // provider's 300 MB binary and compiling the program's modules, whichever side goes
            // first (3.2 times the other side's preview in a run without it). Then the sides
            // alternate which goes first.
            await comp.preview();
            await hand.preview();
            for (let i = 0; i < runs; i++) {
                const sides = [
                    [comp, t.compPreview, t.compUp],
                    [hand, t.handPreview, t.handUp],
                ] as const;
                for (const [stack, preview, up] of i % 2 === 0 ? sides : [...sides].reverse()) {
                    preview.push(await timed(() => stack.preview()));
                    up.push(await timed(() => stack.up({ onOutput: () => undefined })));
                    await stack.destroy({ onOutput: () => undefined });
                }
            }
            const [cp, cu, hp, hu] = [median(t.compPreview), median(t.compUp), median(t.handPreview), median(t.handUp)];
            rows.push(
                `| ${CLUSTERS.length} | ${routes} | ${planned.length} | ${cp.toFixed(1)} | ${hp.toFixed(1)} | ${(cp / hp).toFixed(2)} | ${cu.toFixed(1)} | ${hu.toFixed(1)} | ${(cu / hu).toFixed(2)} |`,
            );
            process.stderr.write(`${rows[rows.length - 1]}\n`);
        }
    } finally {
        await h.stop();
    }
    const startup = measureStartup(7);
    process.stdout.write(
        [
            `| clusters | routes | Kubernetes objects | preview s (MeshGateway) | preview s (hand-written) | ratio | up s (MeshGateway) | up s (hand-written) | ratio |`,
            `|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
            ...rows,
            "",
            `start-up (CPU s, medians of 7): mesh-gateway plan ${startup.plan.toFixed(2)}, bare SDK load ${startup.bare.toFixed(2)}, ratio ${startup.ratio.toFixed(2)}`,
            "",
        ].join("\n"),
    );
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
