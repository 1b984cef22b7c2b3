// The picture of the fleet: every example drawn in SVG and PNG, and the graph read back from its
// DOT by Graphviz itself, so the checks are on what gets drawn. Graphviz's WebAssembly is
// compiled once for the whole file; the CLI runs as a child process only for its own options.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { fleetSpecOf, type InstallMode } from "../core/fleet";
import { readPlanFiles } from "../components/planFiles";
import { planFleet, type FleetPlan } from "../core/plan";
import { diffFleets } from "../offline/diff";
import { buildFleetGraph, diffFleetGraphs, OVERRIDE_MARK, parseDot, renderGraph, RESTART_MARK, toDot } from "../offline/graph";
import { loadFleets } from "../offline/plan";
import { BOOKSTORE_PB } from "./support/transcoding";

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");
const EXAMPLES = fs
    .readdirSync(path.join(ROOT, "examples"))
    .filter((e) => fs.existsSync(path.join(ROOT, "examples", e, "Pulumi.dev.yaml")))
    .sort();
const FLEET = path.join(ROOT, "tests", "fixtures", "graph-fleet.yaml");

/** The plans the CLI computes for a file (the diff's path; `plan` takes the same from its run). */
function plansOf(file: string, mode?: InstallMode): FleetPlan[] {
    return loadFleets(file, mode).map((f) => {
        const spec = fleetSpecOf(f.name, f.args);
        return planFleet(spec, `gateway "${f.name}" in ${file}`, readPlanFiles(spec));
    });
}

interface DrawnGraph {
    /** Node name to its attributes (label is the HTML label's text without the tags). */
    nodes: Map<string, Record<string, string>>;
    edges: { from: string; to: string; label?: string; style?: string; color?: string }[];
    /** Box (Graphviz cluster) name to its label and the names of the nodes in it. */
    boxes: Map<string, { label: string; nodes: string[] }>;
}

const text = (html: string | undefined) =>
    (html ?? "")
        .replace(/<BR\/>/g, "\n")
        .replace(/<[^>]*>/g, "")
        .replace(/&amp;/g, "&")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">");

/** What Graphviz reads from the DOT: nodes, edges and boxes. */
async function drawn(dot: string): Promise<DrawnGraph> {
    interface JsonObject {
        _gvid: number;
        name: string;
        label?: string;
        nodes?: number[];
        [k: string]: unknown;
    }
    const json = (await parseDot(dot)) as {
        objects: JsonObject[];
        edges?: { tail: number; head: number; label?: string; style?: string; color?: string }[];
    };
    const byId = new Map(json.objects.map((o) => [o._gvid, o]));
    const nodes = new Map<string, Record<string, string>>();
    const boxes = new Map<string, { label: string; nodes: string[] }>();
    for (const o of json.objects) {
        if (o.name.startsWith("cluster_"))
            boxes.set(o.name.slice("cluster_".length), { label: text(o.label), nodes: (o.nodes ?? []).map((i) => byId.get(i)!.name) });
        else nodes.set(o.name, { ...(o as unknown as Record<string, string>), label: text(o.label) });
    }
    const edges = (json.edges ?? []).map((e) => ({
        from: byId.get(e.tail)!.name,
        to: byId.get(e.head)!.name,
        label: e.label,
        style: e.style,
        color: e.color,
    }));
    return { nodes, edges, boxes };
}

function hasEdge(g: DrawnGraph, from: string, to: string, label?: string): boolean {
    return g.edges.some((e) => e.from === from && e.to === to && (label === undefined || e.label === label));
}

function pngSize(png: Buffer): { width: number; height: number } {
    expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString("latin1")).to.equal("IHDR");
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** An SVG read by resvg's XML parser (it throws on a malformed document). */
function parseSvg(svg: string): { width: number; height: number } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Resvg } = require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
    const r = new Resvg(svg, { font: { loadSystemFonts: false } });
    return { width: r.width, height: r.height };
}

function cli(...args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the fleet picture (--graph)", () => {
    it("finds the examples", () => {
        expect(EXAMPLES.length).to.be.at.least(3);
    });

    for (const example of EXAMPLES) {
        it(`draws the ${example} example in SVG and PNG`, async () => {
            const plans = plansOf(path.join(ROOT, "examples", example, "Pulumi.dev.yaml"));
            const graph = buildFleetGraph(plans);
            const svg = (await renderGraph(graph, "svg")).toString("utf8");
            expect(svg).to.match(/^<\?xml[^]*<svg [^]*<\/svg>\s*$/);
            const size = parseSvg(svg);
            expect(size.width).to.be.greaterThan(300);
            // One drawn node per graph node, and every cluster of every gateway drawn.
            expect(svg.split('class="node"').length - 1).to.equal(graph.nodes.length + (graph.nodes.some((n) => n.override) ? 1 : 0));
            const shown = svg.replace(/&#45;/g, "-");
            for (const p of plans) for (const c of p.clusters) expect(shown).to.contain(`>cluster ${c.clusterId}`);
            const png = await renderGraph(graph, "png");
            const { width, height } = pngSize(png);
            // Twice the SVG's size (points at 96 dpi), legible, not absurd.
            expect(width).to.be.within(size.width * 1.9, size.width * 2.1);
            expect(height).to.be.within(200, 10000);
            expect(png.length).to.be.greaterThan(20_000);
        });
    }

    it("shows in the README the picture the CLI draws today", async () => {
        const svg = await renderGraph(
            buildFleetGraph(plansOf(path.join(ROOT, "examples", "istio-ingress-two-clusters", "Pulumi.dev.yaml"))),
            "svg",
        );
        const committed = fs.readFileSync(path.join(ROOT, "docs", "fleet-graph.svg"), "utf8");
        expect(
            svg.toString("utf8") === committed,
            "redraw it: node bin/cli/main.js plan examples/istio-ingress-two-clusters/Pulumi.dev.yaml --graph docs/fleet-graph.svg",
        ).to.equal(true);
        expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).to.contain("](docs/fleet-graph.svg)");
    });

    it("draws a two-cluster fleet: DNS → load balancers → Service → pods → listeners → routes → backends, overrides marked", async () => {
        const g = await drawn(toDot(buildFleetGraph(plansOf(FLEET))));
        const n = (id: string) => {
            expect(g.nodes.has(id), `node ${id} in ${[...g.nodes.keys()].join(", ")}`).to.equal(true);
            return g.nodes.get(id)!;
        };
        // Shared DNS: one name, a record (A, a CLB's IP) per cluster's load balancer.
        expect(hasEdge(g, "shop/dns/shop.example.com", "shop/hz/lb/default", "A")).to.equal(true);
        expect(hasEdge(g, "shop/dns/shop.example.com", "shop/sh/lb/default", "A")).to.equal(true);
        // hz creates its CLB; sh reuses one through its override, and the override is marked.
        expect(n("shop/hz/lb/default").label)
            .to.contain("CLB · internet")
            .and.contain("created, deletion protection on")
            .and.not.contain(OVERRIDE_MARK);
        expect(n("shop/sh/lb/default").label).to.contain("reused lb-uf6reusedxxxx").and.contain(`${OVERRIDE_MARK} override: loadBalancer`);
        expect(n("shop/sh/lb/default").color).to.equal("#6f42c1");
        expect(n("shop/hz/lb/default").color).to.not.equal("#6f42c1");
        for (const c of ["hz", "sh"]) {
            expect(hasEdge(g, `shop/${c}/lb/default`, `shop/${c}/service/istio-shop`)).to.equal(true);
            expect(hasEdge(g, `shop/${c}/service/istio-shop`, `shop/${c}/pods`)).to.equal(true);
            for (const l of ["http", "https", "db", "pass"])
                expect(hasEdge(g, `shop/${c}/pods`, `shop/listener/${l}`), `${c} → ${l}`).to.equal(true);
            expect(g.boxes.get(`shop/cluster/${c}`)!.nodes).to.include.members([
                `shop/${c}/pods`,
                `shop/${c}/service/istio-shop`,
                `shop/${c}/lb/default`,
            ]);
        }
        // Replicas after the override: the HPA range of each cluster.
        expect(n("shop/hz/pods").label).to.contain("HPA 2–6 replicas").and.not.contain("override");
        expect(n("shop/sh/pods").label).to.contain("HPA 2–12 replicas").and.contain(`${OVERRIDE_MARK} override: maxReplicas`);
        // Listeners: port, protocol, hosts, TLS.
        expect(n("shop/listener/https").label)
            .to.contain("listener https · HTTPS :443")
            .and.contain("shop.example.com")
            .and.contain("TLS SIMPLE · cert shop-cert (existing Secret)");
        expect(n("shop/listener/http").label).to.contain("redirects to HTTPS (301)");
        expect(n("shop/listener/pass").label).to.contain("TLS passed through");
        // Routes attach where the rendered objects attach them: HTTP on HTTPS (the HTTP listener
        // redirects), TCP by port, TLS passthrough by SNI.
        expect(hasEdge(g, "shop/listener/https", "shop/route/http/checkout")).to.equal(true);
        expect(hasEdge(g, "shop/listener/https", "shop/route/http/web")).to.equal(true);
        expect(g.edges.filter((e) => e.from === "shop/listener/http")).to.deep.equal([]);
        expect(hasEdge(g, "shop/listener/db", "shop/route/tcp/db")).to.equal(true);
        expect(hasEdge(g, "shop/listener/pass", "shop/route/tls/secure")).to.equal(true);
        expect(hasEdge(g, "shop/listener/pass", "shop/route/tcp/db")).to.equal(false);
        // Backends: the canary's weights and subsets, the mirror dashed.
        expect(hasEdge(g, "shop/route/http/checkout", "shop/backend/checkout.istio-system", "90% subset v1 :8080")).to.equal(true);
        expect(hasEdge(g, "shop/route/http/checkout", "shop/backend/checkout.istio-system", "10% subset v2 :8080")).to.equal(true);
        const mirror = g.edges.find((e) => e.to === "shop/backend/checkout-shadow.istio-system")!;
        expect(mirror).to.include({ from: "shop/route/http/checkout", label: "mirror 5%", style: "dashed" });
        expect(n("shop/backend/checkout.istio-system").label).to.contain("subsets v1, v2");
        expect(hasEdge(g, "shop/route/tcp/db", "shop/backend/postgres.istio-system", ":5432")).to.equal(true);
        expect(hasEdge(g, "shop/route/tls/secure", "shop/backend/vault.istio-system", ":8200")).to.equal(true);
        expect(g.boxes.get("shop/routing")!.label).to.contain("the same in every cluster");
        expect(n("legend").label).to.contain("set by overrides[cluster]");
    });

    it("draws a per-host rate limit on the listeners it applies to, not on one that redirects to HTTPS", () => {
        const fleet = YAML.parse(fs.readFileSync(FLEET, "utf8"));
        fleet.gateways[0].routing.rateLimits = [{ hosts: ["shop.example.com"], requests: 100, unit: "second" }];
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-graph-"));
        fs.writeFileSync(path.join(dir, "fleet.yaml"), YAML.stringify(fleet));
        const nodes = buildFleetGraph(plansOf(path.join(dir, "fleet.yaml"))).nodes;
        const details = (id: string) => nodes.find((x) => x.id === id)!.details.join("\n");
        expect(details("shop/listener/https")).to.contain("rate limit 100/second per pod (shop.example.com)");
        expect(details("shop/listener/http")).to.contain("redirects to HTTPS").and.not.contain("rate limit");
    });

    it("draws gRPC-JSON transcoding and the login: transcoded hosts marked, oauth2-proxy beside each gateway, the mesh provider it needs", async () => {
        const fleet = YAML.parse(fs.readFileSync(FLEET, "utf8"));
        const gw = fleet.gateways[0];
        gw.gateway.ports.push({ name: "http-api", port: 8080, targetPort: 8080 });
        gw.routing.listeners.push({ name: "api", port: 8080, protocol: "HTTP", hosts: ["api.example.com"] });
        gw.routing.http.push({ name: "api", hosts: ["api.example.com"], destinations: [{ host: "bookstore", port: 9090 }] });
        gw.routing.grpcTranscoding = [
            { hosts: ["api.example.com"], services: ["bookstore.v1.Bookstore"], descriptor: { file: path.join(ROOT, BOOKSTORE_PB) } },
        ];
        gw.security = {
            oidc: {
                issuerUrl: "https://keycloak.example.com/realms/main",
                clientId: "shop",
                clientSecret: "CLIENT-SECRET-IN-PLAIN-TEXT",
                cookieSecret: "0123456789abcdef0123456789abcdef",
                hosts: ["shop.example.com"],
                paths: ["/checkout/*"],
                allowedEmailDomains: ["example.com"],
            },
        };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-graph-"));
        fs.writeFileSync(path.join(dir, "fleet.yaml"), YAML.stringify(fleet));
        const plans = plansOf(path.join(dir, "fleet.yaml"));
        const dot = toDot(buildFleetGraph(plans));
        expect(toDot(buildFleetGraph(plansOf(path.join(dir, "fleet.yaml")))), "the same picture twice").to.equal(dot);
        for (const secret of ["CLIENT-SECRET-IN-PLAIN-TEXT", "0123456789abcdef0123456789abcdef"]) expect(dot).to.not.contain(secret);
        const g = await drawn(dot);
        const label = (id: string) => {
            expect(g.nodes.has(id), `node ${id} in ${[...g.nodes.keys()].join(", ")}`).to.equal(true);
            return g.nodes.get(id)!.label;
        };
        // Transcoding: the listener that carries the transcoded virtual host, the route, HTTP/2 to its backend.
        expect(label("shop/listener/api")).to.contain("gRPC-JSON transcoding for api.example.com");
        for (const l of ["http", "https"]) expect(label(`shop/listener/${l}`)).to.not.contain("transcoding");
        expect(label("shop/route/http/api")).to.contain("JSON → gRPC bookstore.v1.Bookstore");
        expect(label("shop/route/http/web")).to.not.contain("gRPC");
        expect(label("shop/backend/bookstore.istio-system")).to.contain("HTTP/2 from the gateway (gRPC)");
        expect(label("shop/backend/web.istio-system")).to.not.contain("HTTP/2");
        // The login: oauth2-proxy in each cluster, asked by that cluster's gateway pods; the routes it guards marked.
        for (const c of ["hz", "sh"]) {
            expect(label(`shop/${c}/oauth2-proxy`))
                .to.contain("oauth2-proxy istio-shop-oauth2-proxy")
                .and.contain("2 replicas · :4180")
                .and.contain("login on shop.example.com /checkout/*, /oauth2/*")
                .and.contain("admits domains example.com");
            expect(g.boxes.get(`shop/cluster/${c}`)!.nodes).to.include(`shop/${c}/oauth2-proxy`);
            const check = g.edges.find((e) => e.from === `shop/${c}/pods` && e.to === `shop/${c}/oauth2-proxy`);
            expect(check).to.include({ label: "CUSTOM policy: login check", style: "dashed" });
            expect(hasEdge(g, "shop/mesh-provider/shop-oidc", `shop/${c}/oauth2-proxy`)).to.equal(true);
        }
        expect(label("shop/route/http/checkout")).to.contain("login on /checkout/*, /oauth2/*");
        expect(label("shop/route/http/api")).to.not.contain("login");
        // The extension provider: outside the clusters, pointing at the Service, flagged as not applied.
        expect(label("shop/mesh-provider/shop-oidc"))
            .to.contain("extension provider shop-oidc")
            .and.contain("envoyExtAuthzHttp → istio-shop-oauth2-proxy.istio-system.svc.cluster.local:4180")
            .and.contain("until it is there, Istio denies the login's scope");
        expect(g.boxes.get("shop/gateway")!.nodes).to.include("shop/mesh-provider/shop-oidc");
    });

    it("draws the workload the rendered objects have: a DaemonSet override runs one pod per node", async () => {
        const fleet = YAML.parse(fs.readFileSync(FLEET, "utf8"));
        fleet.gateways[0].gateway.overrides.hz = { kind: "DaemonSet" };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-graph-"));
        fs.writeFileSync(path.join(dir, "fleet.yaml"), YAML.stringify(fleet));
        const g = await drawn(toDot(buildFleetGraph(plansOf(path.join(dir, "fleet.yaml")))));
        expect(g.nodes.get("shop/hz/pods")!.label)
            .to.contain("DaemonSet istio-shop")
            .and.contain("one pod per node")
            .and.contain(`${OVERRIDE_MARK} override: kind`);
        expect(g.nodes.get("shop/sh/pods")!.label).to.contain("Deployment istio-shop").and.contain("HPA 2–12 replicas at cpu 80%");
    });

    it("draws asm mode: the IstioGateway on the control plane fanned out to its clusterIds, routing on the control plane", async () => {
        const file = path.join(ROOT, "examples", "asm-ingress-two-clusters", "Pulumi.dev.yaml");
        const g = await drawn(toDot(buildFleetGraph(plansOf(file))));
        const gw = "myexample-customingressgateway";
        const fanOut = g.edges.filter((e) => e.from === `${gw}/istiogateway`);
        expect(fanOut.map((e) => e.to).sort()).to.deep.equal([`${gw}/c8a4b2xxxxxx/pods`, `${gw}/c9f3e7xxxxxx/pods`]);
        expect(fanOut.every((e) => e.label === "ASM renders" && e.style === "dotted")).to.equal(true);
        expect(g.nodes.get(`${gw}/istiogateway`)!.label).to.contain("clusterIds: c8a4b2xxxxxx, c9f3e7xxxxxx");
        expect(g.nodes.get(`${gw}/c9f3e7xxxxxx/pods`)!.label)
            .to.contain("HPA 1–8")
            .and.contain("override: maxReplicas, resources");
        expect(g.nodes.get(`${gw}/c8a4b2xxxxxx/pods`)!.label).to.contain("HPA 1–4");
        expect(g.boxes.get(`${gw}/routing`)!.label)
            .to.contain("gateway-api API")
            .and.contain("on the ASM control plane");
        expect(hasEdge(g, `${gw}/route/http/httpbin`, `${gw}/backend/httpbin.default`, ":8000")).to.equal(true);
        // The same manifests as self-managed Istio: no control plane, routing in every cluster.
        const istio = await drawn(toDot(buildFleetGraph(plansOf(file, "istio"))));
        expect(istio.nodes.has(`${gw}/istiogateway`)).to.equal(false);
        expect(istio.boxes.get(`${gw}/routing`)!.label).to.contain("the same in every cluster");
    });

    it("colours a diff: added, changed and removed nodes and edges, and marks the pods a change restarts", async () => {
        const base = YAML.parse(fs.readFileSync(FLEET, "utf8"));
        const next = structuredClone(base);
        const gw = next.gateways[0];
        gw.gateway.overrides.sh.maxReplicas = 16;
        gw.gateway.overrides.sh.env = [{ name: "LOG_LEVEL", value: "debug" }];
        gw.routing.http[0].destinations[0].weight = 50;
        gw.routing.http[0].destinations[1].weight = 50;
        gw.routing.http = gw.routing.http.filter((r: { name: string }) => r.name !== "web");
        gw.clusters.push({ id: "bj", region: "cn-beijing" });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-graph-"));
        // Written with sorted keys: the order of a config's keys is no change.
        fs.writeFileSync(path.join(dir, "new.yaml"), YAML.stringify(next, { sortMapEntries: true }));
        const before = plansOf(FLEET);
        const after = plansOf(path.join(dir, "new.yaml"));
        const graph = diffFleetGraphs(buildFleetGraph(before), buildFleetGraph(after), diffFleets(before, after));
        const g = await drawn(toDot(graph));
        const color = { added: "#1a7f37", changed: "#b35900", removed: "#cf222e" };
        // sh: env restarts the pods (↻), maxReplicas does not.
        const sh = g.nodes.get("shop/sh/pods")!;
        expect(sh.label).to.contain(`${RESTART_MARK} restarts pods: env`).and.contain("changes: maxReplicas").and.contain("HPA 2–16");
        expect(sh.color).to.equal("#cf222e");
        const hz = g.nodes.get("shop/hz/pods")!;
        expect(hz.label).to.not.contain(RESTART_MARK);
        expect(hz.color).to.not.be.oneOf(Object.values(color));
        // A new cluster is added, with its own load balancer and DNS record.
        expect(g.nodes.get("shop/bj/pods")!.color).to.equal(color.added);
        expect(g.edges.find((e) => e.from === "shop/dns/shop.example.com" && e.to === "shop/bj/lb/default")!.color).to.equal(color.added);
        // The canary's new weights: the route and its edges changed.
        expect(g.nodes.get("shop/route/http/checkout")!.color).to.equal(color.changed);
        expect(g.edges.find((e) => e.label === "50% subset v1 :8080")!.color).to.equal(color.changed);
        // The removed route is still drawn, dashed red, with its edges.
        const web = g.nodes.get("shop/route/http/web")!;
        expect(web).to.include({ color: color.removed });
        expect(web.style).to.contain("dashed");
        expect(g.edges.find((e) => e.from === "shop/listener/https" && e.to === "shop/route/http/web")).to.include({
            color: color.removed,
            style: "dashed",
        });
        // What does not change is drawn as in the plan.
        expect(g.nodes.get("shop/listener/db")!.color).to.not.be.oneOf(Object.values(color));
        expect(g.nodes.get("legend")!.label).to.contain("restarts the gateway pods");
    });

    it("writes the picture from the CLI: plan --graph FILE.png", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-graph-"));
        const png = path.join(dir, "fleet.png");
        const r = cli("plan", "examples/istio-ingress-two-clusters/Pulumi.dev.yaml", "--graph", png);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.contain(`drew the fleet in ${png}`);
        expect(pngSize(fs.readFileSync(png)).width).to.be.greaterThan(1000);
    });

    it("writes the picture from the CLI: diff --graph FILE.dot marks the restart", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-graph-"));
        const base = YAML.parse(fs.readFileSync(path.join(ROOT, "examples/asm-ingress-two-clusters/Pulumi.dev.yaml"), "utf8"));
        const next = structuredClone(base);
        next.config["asm-ingress-two-clusters:gateways"][0].gateway.env = [{ name: "envname1", value: "changed" }];
        fs.writeFileSync(path.join(dir, "old.yaml"), YAML.stringify(base));
        fs.writeFileSync(path.join(dir, "new.yaml"), YAML.stringify(next));
        const dot = path.join(dir, "diff.dot");
        const d = cli("diff", path.join(dir, "old.yaml"), path.join(dir, "new.yaml"), "--graph", dot);
        expect(d.code, d.stderr).to.equal(0);
        expect(d.stdout).to.contain("RESTARTS gateway pods");
        expect(fs.readFileSync(dot, "utf8")).to.contain(`${RESTART_MARK} restarts pods: env`);
    });

    it("refuses a --graph file of another kind before planning anything", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-graph-"));
        const bad = cli("plan", "examples/istio-ingress-two-clusters/Pulumi.dev.yaml", "--graph", path.join(dir, "fleet.gif"));
        expect(bad.code).to.not.equal(0);
        expect(bad.stderr).to.contain("must end in .svg, .png or .dot");
        expect(bad.stdout).to.equal("");
        expect(fs.existsSync(path.join(dir, "fleet.gif"))).to.equal(false);
    });
});
