// What a planned fleet with gRPC-JSON transcoding or the OIDC login must hold, stated from the
// config and the other planned objects (not from the renderer's own helpers), for the property
// tests to check on every generated fleet that plans.
import { expect } from "chai";
import type { FleetPlan } from "../../core/plan";
import type { Listener, RoutingSpec } from "../../core/routing";
import type { PlanFile } from "../../core/transcoding";
import type { Obj } from "./objects";

const TRANSCODER = "envoy.filters.http.grpc_json_transcoder";
const HTTP_LISTENERS = ["HTTP", "HTTPS", "HTTP2", "GRPC"];

/** Whether a listener or route host pattern (`*`, `*.example.com`, `ns/host`) covers `host`. */
function covers(pattern: string, host: string): boolean {
    const p = pattern.includes("/") ? pattern.slice(pattern.indexOf("/") + 1) : pattern;
    return p === "*" || p === host || (p.startsWith("*.") && host.endsWith(p.slice(1)));
}

/** The objects that go to one gateway's pods: per cluster in istio mode, the control plane's in asm mode. */
function scopes(plan: FleetPlan): { label: string; objects: Obj[] }[] {
    return plan.mode === "asm"
        ? [{ label: "control plane", objects: plan.controlPlaneObjects as Obj[] }]
        : plan.clusters.map((c) => ({ label: `cluster ${c.clusterId}`, objects: c.objects as Obj[] }));
}

/**
 * The `host:port` virtual hosts to transcode for `host`: Istio builds one per HTTP listener serving
 * it (validation refused wider ones); a listener that redirects to HTTPS answers every request
 * with the redirect, so it is left out. With Istio APIs, plain-text HTTP servers of one port share
 * their virtual hosts, and a redirecting one makes the host's redirect there too.
 */
function expectedVhosts(routing: RoutingSpec, host: string): { vhost: string; port: number }[] {
    const listeners = routing.listeners ?? [];
    const redirectedOn = (l: Listener) =>
        (routing.api ?? "istio") === "istio" &&
        l.protocol !== "HTTPS" &&
        listeners.some((r) => r.httpsRedirect === true && r.port === l.port && r.hosts.some((p) => covers(p, host)));
    return listeners
        .filter(
            (l: Listener) =>
                HTTP_LISTENERS.includes(l.protocol) && l.httpsRedirect !== true && l.hosts.some((p) => covers(p, host)) && !redirectedOn(l),
        )
        .map((l) => ({ vhost: `${host}:${l.port}`, port: l.port }));
}

/** The gateway pods' ports behind Service ports, in every cluster (Istio binds a gateway listener to the targetPort). */
function containerPorts(plan: FleetPlan, servicePorts: Set<number>): number[] {
    const out = new Set<number>();
    for (const c of plan.clusters) {
        const ports: { port: number; targetPort?: number }[] = c.spec.ports ?? [{ port: 80 }, { port: 443 }];
        for (const p of ports.filter((x) => servicePorts.has(x.port))) out.add(p.targetPort || p.port);
    }
    return [...out].sort((a, b) => a - b);
}

/** Some route object binds `host` to a gateway listener on `port`: the virtual host the patch names exists. */
function routeServes(objects: Obj[], host: string, port: number): boolean {
    const istioGateways = objects.filter((o) => o.kind === "Gateway" && o.apiVersion.startsWith("networking.istio.io/"));
    const onPort = istioGateways.filter((g) =>
        (g.spec.servers as { port: { number: number }; hosts: string[] }[]).some(
            (s) => s.port.number === port && s.hosts.some((p) => covers(p, host)),
        ),
    );
    const virtualServices = objects.filter(
        (o) =>
            o.kind === "VirtualService" &&
            ((o.spec.hosts as string[] | undefined) ?? []).includes(host) &&
            (o.spec.gateways as string[]).some((g) => onPort.some((x) => g.endsWith(x.metadata.name))),
    );
    if (virtualServices.length > 0) return true;
    const listeners = objects
        .filter((o) => o.kind === "Gateway" && o.apiVersion.startsWith("gateway.networking.k8s.io/"))
        .flatMap((g) => (g.spec.listeners as { name: string; port: number; hostname?: string }[]).map((l) => ({ gateway: g, l })))
        .filter(({ l }) => l.port === port && (l.hostname === undefined || covers(l.hostname, host)));
    // A route without hostnames takes its listener's (Gateway API), e.g. the HTTPS redirect.
    return objects.some(
        (o) =>
            o.kind === "HTTPRoute" &&
            (o.spec.parentRefs as { name: string; sectionName?: string }[]).some((r) =>
                listeners.some(
                    ({ gateway, l }) =>
                        gateway.metadata.name === r.name &&
                        (r.sectionName ?? l.name) === l.name &&
                        ((o.spec.hostnames as string[] | undefined)?.includes(host) ?? l.hostname === host),
                ),
            ),
    );
}

/**
 * gRPC-JSON transcoding: one EnvoyFilter per gateway scope; the filter before the router with no
 * services (disabled); each transcoded host's own virtual host on each HTTP listener serving it,
 * and no other, gets the entry's services and descriptor and keeps the matched route; every
 * destination of a transcoded host's routes gets HTTP/2.
 */
export function checkTranscodingInvariants(plan: FleetPlan, files: ReadonlyMap<string, PlanFile>): number {
    const routing = plan.fleet.routing!;
    const entries = routing.grpcTranscoding ?? [];
    let checked = 0;
    for (const { label, objects } of scopes(plan)) {
        const filters = objects.filter((o) => o.kind === "EnvoyFilter" && o.metadata.name === `${plan.names.workload}-grpc-transcoding`);
        expect(filters, label).to.have.length(1);
        const patches = filters[0].spec.configPatches as Obj["spec"][];
        const inserts = patches.filter((x) => x.applyTo === "HTTP_FILTER");
        const vhosts = patches.filter((x) => x.applyTo !== "HTTP_FILTER");
        const expected = entries.flatMap((e) => e.hosts.flatMap((h) => expectedVhosts(routing, h).map((v) => ({ ...v, e }))));
        expect(
            inserts.map((x) => x.match.listener.portNumber),
            `${label}: the filter in the listeners serving a transcoded virtual host, and no other`,
        ).to.deep.equal(containerPorts(plan, new Set(expected.map((x) => x.port))));
        for (const insert of inserts) {
            expect(insert.patch.operation).to.equal("INSERT_BEFORE");
            expect(insert.match.listener.filterChain.filter.subFilter.name).to.equal("envoy.filters.http.router");
            expect(insert.patch.value.name).to.equal(TRANSCODER);
            expect(insert.patch.value.typed_config, "the listener-wide filter transcodes nothing").not.to.have.property("services");
        }
        expect(
            vhosts.map((v) => v.match.routeConfiguration.vhost.name),
            `${label}: one patch per transcoded host and HTTP listener`,
        ).to.have.members(expected.map((x) => x.vhost));
        for (const v of vhosts) {
            const name = v.match.routeConfiguration.vhost.name as string;
            const { e } = expected.find((x) => x.vhost === name)!;
            const [host, port] = [name.slice(0, name.lastIndexOf(":")), Number(name.slice(name.lastIndexOf(":") + 1))];
            expect(routeServes(objects, host, port), `${label}: no route object builds the virtual host ${name}`).to.equal(true);
            expect(v.applyTo).to.equal("VIRTUAL_HOST");
            expect(v.patch.operation).to.equal("MERGE");
            const config = v.patch.value.typed_per_filter_config[TRANSCODER];
            expect(config.match_incoming_request_route, name).to.equal(true);
            expect(config.services, name).to.deep.equal(e.services);
            if (e.descriptor.file !== undefined) {
                const read = files.get(e.descriptor.file) as { bytes: Uint8Array };
                expect(config.proto_descriptor_bin, name).to.equal(Buffer.from(read.bytes).toString("base64"));
                expect(config).not.to.have.property("proto_descriptor");
            } else {
                const volume = (plan.fleet.gateway.configVolumes ?? []).find((x) => x.name === e.descriptor.configVolume)!;
                expect(config.proto_descriptor, name).to.equal(`${volume.mountPath.replace(/\/+$/, "")}/${e.descriptor.key}`);
                expect(config).not.to.have.property("proto_descriptor_bin");
            }
            checked++;
        }
        const transcoded = new Set(entries.flatMap((e) => e.hosts));
        for (const d of (routing.http ?? []).filter((r) => r.hosts.some((h) => transcoded.has(h))).flatMap((r) => r.destinations ?? [])) {
            const rules = objects.filter((o) => o.kind === "DestinationRule" && (o.spec.host as string).startsWith(`${d.host}.`));
            expect(
                rules.map((r) => r.spec.trafficPolicy?.connectionPool?.http?.h2UpgradePolicy),
                `${label}: HTTP/2 to ${d.host}`,
            ).to.include("UPGRADE");
        }
    }
    return checked;
}

/**
 * The login's CUSTOM policy on the gateway pods: it names the provider, covers the login's hosts,
 * its paths plus `/oauth2/*` (or every path), on HTTP listener ports only, and leaves OPTIONS out
 * exactly when preflights skip the login.
 */
function checkLoginPolicy(objects: Obj[], plan: FleetPlan, provider: string, label: string): Obj {
    const oidc = plan.fleet.security!.oidc!;
    const policy = objects.find((o) => o.kind === "AuthorizationPolicy" && o.metadata.name === `${plan.names.workload}-oidc`);
    expect(policy, label).to.not.equal(undefined);
    expect(policy!.spec.selector.matchLabels, "the policy selects the gateway pods").to.deep.equal(plan.names.selector);
    expect(policy!.spec.action).to.equal("CUSTOM");
    expect(policy!.spec.provider).to.deep.equal({ name: provider });
    const operations = (
        policy!.spec.rules as { to: { operation: { hosts?: string[]; paths?: string[]; ports?: string[]; notMethods?: string[] } }[] }[]
    ).flatMap((r) => r.to.map((t) => t.operation));
    for (const op of operations) {
        expect(op.hosts, label).to.include.members(oidc.hosts);
        expect(op.ports, "HTTP listener ports only").to.not.equal(undefined);
        if (oidc.paths === undefined) expect(op.paths, "every path needs the login").to.equal(undefined);
        else expect(op.paths, "the login flow's own paths are in scope").to.include.members([...oidc.paths, "/oauth2/*"]);
        expect(op.notMethods, "preflights skip the login only when asked").to.deep.equal(
            oidc.skipAuthPreflight === true ? ["OPTIONS"] : undefined,
        );
    }
    return policy!;
}

/**
 * asm mode's login: the CUSTOM policy on the control plane names ASM's provider; ASM runs
 * oauth2-proxy, so none is rendered and no mesh config entry is printed; no object holds a secret.
 */
function checkAsmOidcInvariants(plan: FleetPlan): number {
    const oidc = plan.fleet.security!.oidc!;
    const provider = oidc.provider ?? `httpextauth-${plan.name}`;
    const all = [...plan.controlPlaneObjects, ...plan.clusters.flatMap((c) => c.objects)] as Obj[];
    checkLoginPolicy(plan.controlPlaneObjects as Obj[], plan, provider, "control plane");
    expect(all.filter((o) => o.metadata.name.includes("oauth2-proxy")).map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
    const warnings = plan.warnings.filter((w) => w.path === "security.oidc").map((w) => w.message);
    expect(
        warnings.some((w) => w.includes(`asm-oauth2proxy-${provider} in istio-system`)),
        warnings.join("\n"),
    ).to.equal(true);
    expect(
        warnings.some((w) => w.includes("meshConfig")),
        "no mesh config entry in asm mode",
    ).to.equal(false);
    const text = JSON.stringify(all);
    for (const secret of [oidc.clientSecret, oidc.cookieSecret] as string[])
        expect(text, "a login secret in a planned object").not.to.include(JSON.stringify(secret).slice(1, -1));
    return 1;
}

/**
 * The login: oauth2-proxy (Secret, Deployment, Service) in every cluster beside the gateway; a
 * CUSTOM policy on the gateway pods naming the provider, on the login's hosts, its paths plus
 * `/oauth2/*` (or every path); the printed mesh provider entry points at that Service. In asm
 * mode, ASM's provider instead (checkAsmOidcInvariants).
 */
export function checkOidcInvariants(plan: FleetPlan): number {
    if (plan.mode === "asm") return checkAsmOidcInvariants(plan);
    const oidc = plan.fleet.security!.oidc!;
    const provider = oidc.provider ?? `${plan.name}-oidc`;
    const name = `${plan.names.workload}-oauth2-proxy`;
    const warning = plan.warnings.find((w) => w.path === "security.oidc" && w.message.includes("extension provider"));
    expect(warning, "the mesh config entry is printed").to.not.equal(undefined);
    let checked = 0;
    for (const { label, objects } of scopes(plan)) {
        const gateway = objects.find((o) => o.kind === "Deployment" && o.metadata.name === plan.names.workload)!;
        const podLabels = gateway.spec.template.metadata.labels as Record<string, string>;
        const policy = checkLoginPolicy(objects, plan, provider, label);
        expect(policy.metadata.namespace).to.equal(gateway.metadata.namespace);
        expect(podLabels, "the policy selects the gateway pods").to.include(policy.spec.selector.matchLabels);

        const [secret, deployment, service] = ["Secret", "Deployment", "Service"].map((kind) =>
            objects.find((o) => o.kind === kind && o.metadata.name === name)!,
        );
        for (const o of [secret, deployment, service])
            expect(o?.metadata.namespace, `${label}: ${name}`).to.equal(gateway.metadata.namespace);
        expect(secret.stringData).to.include({ "client-secret": oidc.clientSecret, "cookie-secret": oidc.cookieSecret });
        const pod = deployment.spec.template;
        expect(pod.metadata.labels).to.include(service.spec.selector);
        expect(pod.metadata.labels).to.include(deployment.spec.selector.matchLabels);
        const env = pod.spec.containers[0].env as { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[];
        for (const e of env) expect(secret.stringData, e.name).to.have.property(e.valueFrom.secretKeyRef.key);
        expect(env.every((e) => e.valueFrom.secretKeyRef.name === name)).to.equal(true);
        expect(JSON.stringify(deployment), "no secret in the pod spec").not.to.include(JSON.stringify(oidc.clientSecret).slice(1, -1));
        const port = (service.spec.ports as { port: number }[])[0].port;
        expect(warning!.message).to.include(`service: ${name}.${service.metadata.namespace}.svc.cluster.local`);
        expect(warning!.message).to.include(`port: ${port}`);
        expect(warning!.message).to.include(`name: ${provider}`);
        checked++;
    }
    return checked;
}
