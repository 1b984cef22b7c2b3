// What a real cluster holds besides the product's objects, for Istio's analyzers (offline over
// files in tests/istioctl-analyze.test.ts, live against the e2e suite's API servers), and the
// messages docs/istioctl-analyze.md accepts.
import * as fs from "fs";
import * as path from "path";
import selfsigned from "selfsigned";
import type { FleetPlan } from "../../core/plan";
import type { KubeObject } from "../../core/render/common";

/** The repository root (bin/tests/support/../../..). */
const REPO = path.join(__dirname, "..", "..", "..");

/**
 * What exists in a real cluster that the product does not write: TLS Secrets the user keeps
 * (`existingSecret`) or cert-manager issues from a planned Certificate, and the user's backend
 * Services and their pods (a destination `host` in `namespace`, its port, with the labels of
 * the subsets the routing declares).
 */
export function userWorld(
    plan: FleetPlan,
    planned: readonly KubeObject[],
    standInPem: { certificate: string; privateKey: string },
): KubeObject[] {
    const out: KubeObject[] = [];
    const ns = plan.namespace;
    const secretNames = new Set(planned.filter((o) => o.kind === "Secret").map((o) => o.metadata.name));
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    const tlsSecret = (name: string): KubeObject => ({
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/tls",
        metadata: { name, namespace: ns },
        data: { "tls.crt": b64(standInPem.certificate), "tls.key": b64(standInPem.privateKey) },
    });
    for (const c of plan.fleet.certificates ?? []) {
        if (c.existingSecret === true && !secretNames.has(c.name)) out.push(tlsSecret(c.name));
    }
    for (const o of planned) {
        if (o.kind === "Certificate") out.push(tlsSecret((o.spec as { secretName: string }).secretName));
    }
    const routing = plan.fleet.routing;
    const routeNs = routing?.namespace ?? ns;
    const backends = new Map<string, { name: string; namespace: string; ports: Set<number> }>();
    const destinations = [
        ...(routing?.http ?? []).flatMap((r) => [...(r.destinations ?? []), ...(r.mirror ? [r.mirror.destination] : [])]),
        ...(routing?.tcp ?? []).flatMap((r) => r.destinations),
        ...(routing?.tls ?? []).flatMap((r) => r.destinations),
    ];
    for (const d of destinations) {
        // A short name or name.namespace(.svc.cluster.local) is a Kubernetes Service.
        const [name, hostNs] = d.host.split(".");
        const namespace = hostNs ?? d.namespace ?? routeNs;
        const key = `${name}.${namespace}`;
        const b = backends.get(key) ?? backends.set(key, { name, namespace, ports: new Set() }).get(key)!;
        b.ports.add(d.port ?? 80);
    }
    for (const b of backends.values()) {
        out.push({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: b.name, namespace: b.namespace },
            spec: { selector: { app: b.name }, ports: [...b.ports].map((port) => ({ name: `http-${port}`, port, targetPort: port })) },
        });
        // The subsets the routes name take `version: <name>` unless `backends` declares their labels.
        const declared = routing?.backends?.[b.name]?.subsets ?? {};
        const named = destinations.filter((d) => d.host.split(".")[0] === b.name && d.subset !== undefined).map((d) => d.subset!);
        const subsetNames = [...new Set([...Object.keys(declared), ...named])];
        const podLabels = subsetNames.length > 0 ? subsetNames.map((n) => declared[n] ?? { version: n }) : [{}];
        podLabels.forEach((labels, i) =>
            out.push({
                apiVersion: "v1",
                kind: "Pod",
                metadata: { name: `${b.name}-${i}`, namespace: b.namespace, labels: { app: b.name, ...labels } },
                spec: { containers: [{ name: "app", image: "app", ports: [...b.ports].map((containerPort) => ({ containerPort })) }] },
            }),
        );
    }
    return out;
}

/**
 * Istio's sidecar injector, as istiod's chart installs it (webhooks `object.sidecar-injector`
 * and, for a revision, `rev.object.sidecar-injector`): analyze checks that a pod with
 * `image: auto` is matched by one.
 */
export function injectorWebhook(revision: string | undefined): KubeObject {
    const webhook = (name: string, objectSelector: object) => ({
        name,
        admissionReviewVersions: ["v1"],
        sideEffects: "None",
        clientConfig: { service: { name: "istiod", namespace: "istio-system", path: "/inject", port: 443 } },
        rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
        namespaceSelector: {
            matchExpressions: [
                { key: "istio-injection", operator: "DoesNotExist" },
                { key: "istio.io/rev", operator: "DoesNotExist" },
            ],
        },
        objectSelector,
    });
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: { name: revision ? `istio-sidecar-injector-${revision}` : "istio-sidecar-injector" },
        webhooks: [
            revision
                ? webhook("rev.object.sidecar-injector.istio.io", {
                      matchExpressions: [
                          { key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] },
                          { key: "istio.io/rev", operator: "In", values: [revision] },
                      ],
                  })
                : webhook("object.sidecar-injector.istio.io", {
                      matchExpressions: [
                          { key: "sidecar.istio.io/inject", operator: "In", values: ["true"] },
                          { key: "istio.io/rev", operator: "DoesNotExist" },
                      ],
                  }),
        ],
    };
}

/** The mesh's control plane as analyze sees it: istiod's Service and its injection webhook. */
export function istiod(revision: string | undefined): KubeObject[] {
    return [
        injectorWebhook(revision),
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "istiod", namespace: "istio-system" },
            spec: {
                selector: { app: "istiod" },
                ports: [
                    { name: "https-webhook", port: 443, targetPort: 15017 },
                    { name: "grpc-xds", port: 15012 },
                ],
            },
        },
    ];
}

/** A Secret as the API server stores it: `stringData` folded into base64 `data` (analyze reads `data`). */
export function stored(o: KubeObject): KubeObject {
    if (o.kind !== "Secret" || o.stringData === undefined) return o;
    const { stringData, ...rest } = o as KubeObject & { stringData: Record<string, string>; data?: Record<string, string> };
    const data = {
        ...rest.data,
        ...Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
    };
    return { ...rest, data };
}

export async function pem(hosts: string[]): Promise<{ certificate: string; privateKey: string }> {
    const g = await selfsigned.generate([{ name: "commonName", value: hosts[0] }], {
        keyType: "ec",
        curve: "P-256",
        notBeforeDate: new Date(),
        notAfterDate: new Date(Date.now() + 90 * 86_400_000),
        extensions: [{ name: "subjectAltName", altNames: hosts.map((value) => ({ type: 2, value })) }],
    });
    return { certificate: g.cert, privateKey: g.private };
}

export interface Accepted {
    code: string;
    /** Glob over the message's origin (`Kind name.namespace`), `*` for any run of characters. */
    origin: RegExp;
    originText: string;
    /** Listed for live clusters of this mode only (a "Live, … mode" section); undefined: everywhere. */
    live?: "istio" | "asm";
}

/**
 * The table rows of docs/istioctl-analyze.md: `| IST0000 | origin glob | why |`. The rows of the
 * sections "Live, istio mode …" and "Live, asm mode …" apply only to the e2e suite's live
 * clusters of that mode (`{ live: mode }`): they name what the test clusters lack, never what a
 * planned object does.
 */
export function acceptedMessages(options: { live?: "istio" | "asm" } = {}): Accepted[] {
    const text = fs.readFileSync(path.join(REPO, "docs", "istioctl-analyze.md"), "utf8");
    let section = "";
    return text.split("\n").flatMap((line) => {
        if (line.startsWith("## ")) section = line.slice(3).trim();
        const cells = line.split("|").map((c) => c.trim());
        if (cells.length < 5 || !/^IST\d{4}$/.test(cells[1])) return [];
        const live = section.startsWith("Live") ? (/\basm mode\b/.test(section) ? "asm" : "istio") : undefined;
        if (live !== undefined && live !== options.live) return [];
        const glob = cells[2].replace(/`/g, "");
        const origin = new RegExp(
            `^${glob
                .split("*")
                .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join(".*")}$`,
        );
        return [{ code: cells[1], origin, originText: glob, ...(live !== undefined ? { live } : {}) }];
    });
}
