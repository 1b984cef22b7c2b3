// Checks a fleet before anything is created: first its shape (schema), then the rules that span
// fields, feature by feature, on the fleet's per-cluster layout. Every problem is reported at
// once, each with its field path. This module only orchestrates: the rules live with their feature.
import { checkCertificates, checkDns, checkSecurity, httpTargetPorts, type EdgeContext } from "./edge";
import { effectiveSpec, portsOf } from "./effective";
import { ConfigError, IssueList, pointerToSegments, formatPath, type ConfigIssue } from "./errors";
import { workloadName, workloadNames, type GatewayFleetSpec } from "./fleet";
import { checkAsm, checkClusters, checkGracefulShutdown, checkIstio, checkName } from "./fleetRules";
import { checkGateway } from "./gatewayRules";
import { DNS_LABEL } from "./kubeNames";
import { addressKinds, clustersWithCredentials, frontServiceExposure, layoutClusters, type ClusterLayout } from "./layout";
import { checkLoadBalancerCertificates, checkLoadBalancers, loadBalancerNotes, loadBalancerTlsPorts } from "./loadBalancer";
import { meshTarget } from "./meshVersion";
import { checkIngressClass, ingressClassNotes } from "./ingressClass";
import { checkAccessLogs } from "./observability";
import type { ErrorObject } from "ajv";
import { describeAjvErrors } from "./openapi";
import { checkListenersInClusters, checkRouting, routeBackends, type RoutingSpec } from "./routing";
import type { TranscodingDescriptors } from "./render/transcoding";
import { checkGrpcTranscoding, mountedDescriptors, type PlanFiles } from "./transcoding";
import { ownValue, plainInput } from "./input";
import { fleetValidator, takesInput } from "./schema";
import { vhostPatches } from "./vhostPatch";
import { DEFAULTS, DEFAULT_NAMESPACE } from "./spec";

export interface ValidatedFleet {
    spec: GatewayFleetSpec;
    warnings: ConfigIssue[];
    /** Per cluster, in `clusters` order: the layout validation checked, which the plan starts from. */
    clusters: ClusterLayout[];
    /** Container ports of the gateway's HTTP(S) listeners (edge security scopes its HTTP rules to them). */
    httpPorts: number[];
    /** The descriptor set of each `routing.grpcTranscoding` entry. */
    transcoding: TranscodingDescriptors;
}

/** Validates `input` as a gateway fleet, or throws a ConfigError listing every problem. */
export function validateFleet(given: unknown, subject?: string, files: PlanFiles = new Map()): ValidatedFleet {
    // Rules read a plain-data copy: never the caller's objects, which stay as they were.
    const input = plainInput(given, takesInput, subject);
    const validate = fleetValidator();
    if (!validate(input)) {
        const errors = validate.errors ?? [];
        const issues = describeAjvErrors(errors).map((v) => {
            const segments = pointerToSegments(v.path);
            const inKernel = segments.includes("parameters") && segments.includes("kernel");
            const message =
                inKernel && v.message === "must be string"
                    ? "kernel parameter values must be strings (quote numbers in YAML, as ASM requires)"
                    : v.message;
            return { path: formatPath(segments), message };
        });
        throw new ConfigError([...issues, ...rulesBesideUnknownFields(input, errors, files)], subject);
    }
    const spec = input as GatewayFleetSpec;
    const list = new IssueList();
    const { clusters, httpPorts } = checkFleet(spec, list);
    const transcoding = checkTranscoding(spec, clusters, files, list);
    list.throwIfAny(subject);
    return { spec, warnings: list.warnings, clusters, httpPorts, transcoding };
}

/**
 * The rules across fields, for a config whose only shape errors are unknown fields (typos): without
 * those fields the config is what the schema accepts, and what would be deployed, so the rules see
 * what they would see after the typos are fixed, and every problem is reported in one run. Any
 * other shape error (a wrong type or value, a failed alternative) leaves the rules unrun: they
 * assume a valid shape, and would report on values that are not what the user meant.
 */
function rulesBesideUnknownFields(input: unknown, errors: ErrorObject[], files: PlanFiles): ConfigIssue[] {
    if (errors.length === 0 || errors.some((e) => e.keyword !== "additionalProperties")) return [];
    // Copies only the objects on the way to each typo: the rest may hold Outputs, which do not clone.
    const copied = new Set<unknown>();
    const copy = (o: unknown) => {
        const c = Array.isArray(o) ? [...(o as unknown[])] : { ...(o as Record<string, unknown>) };
        copied.add(c);
        return c;
    };
    const pruned = copy(input);
    for (const e of errors) {
        let owner = pruned as Record<string | number, unknown>;
        for (const seg of pointerToSegments(e.instancePath)) {
            const key = typeof seg === "object" ? seg.key : seg;
            if (!copied.has(owner[key])) owner[key] = copy(owner[key]);
            owner = owner[key] as Record<string | number, unknown>;
        }
        delete owner[(e.params as { additionalProperty: string }).additionalProperty];
    }
    if (!fleetValidator()(pruned)) return [];
    const list = new IssueList();
    const spec = pruned as unknown as GatewayFleetSpec;
    checkTranscoding(spec, checkFleet(spec, list).clusters, files, list);
    return list.issues;
}

function checkTranscoding(fleet: GatewayFleetSpec, clusters: ClusterLayout[], files: PlanFiles, list: IssueList): TranscodingDescriptors {
    const routing = fleet.routing ?? {};
    const entries = routing.grpcTranscoding ?? [];
    const patches = vhostPatches(routing);
    const inline = checkGrpcTranscoding(entries, {
        egress: (fleet.gateway.gatewayType ?? DEFAULTS.gatewayType) === "egress",
        volumesByCluster: [
            { clusterId: "", volumes: fleet.gateway.configVolumes ?? [] },
            ...clusters.map((c) => ({ clusterId: c.clusterId, volumes: c.spec.configVolumes ?? [] })),
        ],
        files,
        vhostProblem: (host) => patches.problem(host, "transcode"),
        vhostCount: (host) => patches.listeners(host).length,
        destinations: (host) => [
            ...new Set(
                (routing.http ?? [])
                    .filter((r) => r.hosts.includes(host))
                    .flatMap(routeBackends)
                    .map((d) => (d.namespace === undefined ? d.host : `${d.host}.${d.namespace}`)),
            ),
        ],
        list,
    });
    return { inline, mounted: mountedDescriptors(entries, fleet.gateway.configVolumes ?? []) };
}

function checkFleet(fleet: GatewayFleetSpec, list: IssueList): Omit<ValidatedFleet, "spec" | "warnings" | "transcoding"> {
    checkName(fleet, list);
    checkClusters(fleet, list);
    if (fleet.mode === "asm") checkAsm(fleet, list);
    else checkIstio(fleet, list);
    checkGatewayAndOverrides(fleet, list);

    const clusters = layoutClusters(fleet);
    checkLoadBalancers(fleet, clusters, fleet.gracefulShutdown?.drainSeconds ?? DEFAULTS.drainSeconds, list);
    for (const c of clusters) {
        for (const lb of c.loadBalancers) for (const note of loadBalancerNotes(lb, c.clusterId)) list.warnRaw(note);
    }
    if (fleet.routing !== undefined) checkFleetRouting(fleet, fleet.routing, clusters, list);
    const httpPorts = httpTargetPorts(
        fleet.routing,
        clusters.map((c) => c.spec),
    );
    if (
        fleet.dns !== undefined ||
        fleet.certificates !== undefined ||
        fleet.security !== undefined ||
        fleet.routing?.listeners !== undefined
    ) {
        checkEdge(fleet, clusters, httpPorts, list);
    }
    checkIngressClass(fleet, list);
    for (const note of ingressClassNotes(fleet)) list.warnRaw(note);
    if (fleet.observability?.accessLogs !== undefined)
        checkAccessLogs(fleet.observability.accessLogs, { mode: fleet.mode, gatewayName: fleet.name }, list);
    checkLoadBalancerCertificates(clusters, pemCertificates(fleet), list);
    checkGracefulShutdown(fleet, list);
    return { clusters, httpPorts };
}

/** The base spec, then each override on the cluster's effective spec (where the user wrote it). */
function checkGatewayAndOverrides(fleet: GatewayFleetSpec, list: IssueList): void {
    const ids = fleet.clusters.map((c) => c.id);
    checkGateway(fleet.gateway, ["gateway"], fleet.mode, list);
    for (const [clusterId, override] of Object.entries(fleet.gateway.overrides ?? {})) {
        const path = ["gateway", "overrides", { key: clusterId }];
        if (!ids.includes(clusterId)) list.add(path, `cluster ${clusterId} is not in clusters (${ids.join(", ")})`);
        else checkGateway(effectiveSpec(fleet.gateway, clusterId), path, fleet.mode, list, override);
    }
}

function checkFleetRouting(fleet: GatewayFleetSpec, routing: RoutingSpec, clusters: ClusterLayout[], list: IssueList): void {
    const gateway = fleet.gateway;
    checkRouting(routing, portsOf(gateway), gateway.gatewayType ?? DEFAULTS.gatewayType, list, meshTarget(fleet));
    checkListenersInClusters(
        routing.listeners ?? [],
        {
            overriddenPorts: clusters
                .filter((c) => ownValue(gateway.overrides, c.clusterId)?.ports !== undefined)
                .map((c) => ({ clusterId: c.clusterId, ports: new Set(portsOf(c.spec).map((p) => p.port)) })),
            tlsAtLoadBalancer: clusters.flatMap((c) =>
                c.loadBalancers.flatMap((lb) =>
                    lb.settings.tls === undefined ? [] : [{ ports: lb.settings.tls.ports, path: [...lb.path, "tls"] }],
                ),
            ),
        },
        list,
    );
    if (routing.namespace !== undefined && !DNS_LABEL.test(routing.namespace)) {
        list.add(["routing", "namespace"], `"${routing.namespace}" is not a valid namespace name (a DNS label)`);
    }
}

function checkEdge(fleet: GatewayFleetSpec, clusters: ClusterLayout[], httpPorts: number[], list: IssueList): void {
    // Every Service in front of the pods counts: one that hides client addresses lets its
    // clients past an allow-list as node addresses.
    const front = frontServiceExposure(clusters, workloadName(fleet.name));
    const edge: EdgeContext = {
        mode: fleet.mode,
        clusterIds: fleet.clusters.map((c) => c.id),
        addressKinds: addressKinds(clusters),
        loadBalancerTlsPorts: loadBalancerTlsPorts(clusters),
        servicesHidingClients: front.hidingClients,
        internetLoadBalancers: front.onInternet,
        httpPorts,
        clustersWithCredentials: clustersWithCredentials(fleet),
        now: new Date(),
        gatewayName: fleet.name,
        namespace: fleet.namespace ?? DEFAULT_NAMESPACE,
        names: workloadNames(fleet.name),
        target: meshTarget(fleet),
        serviceMeshId: fleet.controlPlane?.serviceMeshId !== undefined,
    };
    if (fleet.dns !== undefined) checkDns(fleet.dns, fleet.routing, edge, list);
    checkCertificates(fleet.certificates ?? [], fleet.routing, edge, list);
    if (fleet.security !== undefined) checkSecurity(fleet.security, fleet.routing, edge, list);
}

/** Certificate names whose (first) entry carries PEM: what a load balancer can upload. */
function pemCertificates(fleet: GatewayFleetSpec): Set<string> {
    const certs = fleet.certificates ?? [];
    return new Set(certs.filter((c, i) => c.pem !== undefined && certs.findIndex((x) => x.name === c.name) === i).map((c) => c.name));
}
