// `node bin/bench/filters.js [hosts...]` (after `npm run build`): planning time of a fleet whose
// every host has a per-host rate limit and is transcoded, the per-host EnvoyFilter patches the
// plan places host by host (each needs the listeners' virtual hosts and route configurations).
// Two clusters, an HTTPS-redirect listener and an HTTPS listener over all hosts, one route per
// host. Median of five plans after one warm-up, per host count.
import { planFleet } from "../core/plan";
import type { GatewayFleetSpec } from "../core/fleet";
import { readPlanFiles } from "../components/planFiles";

const DESCRIPTOR = "examples/istio-ingress-two-clusters/grpc/bookstore.pb";

function fleet(count: number): GatewayFleetSpec {
    const hosts = Array.from({ length: count }, (_, i) => `h${i}.example.com`);
    return {
        name: "edge",
        mode: "istio",
        clusters: [
            { id: "c1", region: "cn-hangzhou" },
            { id: "c2", region: "cn-hangzhou" },
        ],
        gateway: {},
        certificates: [{ name: "c", existingSecret: true }],
        routing: {
            listeners: [
                { name: "http", port: 80, protocol: "HTTP", hosts, httpsRedirect: true },
                { name: "https", port: 443, protocol: "HTTPS", hosts, tls: { mode: "SIMPLE", credentialName: "c" } },
            ],
            http: hosts.map((h, i) => ({ name: `r${i}`, hosts: [h], destinations: [{ host: `s${i}`, port: 9090 }] })),
            rateLimits: hosts.map((h) => ({ hosts: [h], requests: 10, unit: "second" as const })),
            grpcTranscoding: [{ hosts, services: ["bookstore.v1.Bookstore"], descriptor: { file: DESCRIPTOR } }],
        },
    };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const count of (process.argv.length > 2 ? process.argv.slice(2) : ["50", "200", "500"]).map(Number)) {
    const spec = fleet(count);
    const files = readPlanFiles(spec);
    planFleet(structuredClone(spec), undefined, files);
    const times = Array.from({ length: 5 }, () => {
        const start = process.hrtime.bigint();
        planFleet(structuredClone(spec), undefined, files);
        return Number(process.hrtime.bigint() - start) / 1e6;
    });
    console.log(`${count} hosts, each rate-limited and transcoded: ${median(times).toFixed(0)} ms per plan`);
}
