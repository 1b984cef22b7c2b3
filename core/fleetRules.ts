// The rules on a fleet's own fields: its name and namespace, its clusters, and what each install
// mode allows. The gateway spec's rules are in gatewayRules.ts; each feature's in its module.
import type { IssueList, PathSegment } from "./errors";
import { hasCredentials, workloadName, type GatewayFleetSpec } from "./fleet";
import { DNS_LABEL, QUALIFIED_NAME } from "./kubeNames";
import { needsCredentials } from "./layout";
import { compareVersions } from "./meshVersion";
import { ASM_OVERRIDABLE_FIELDS, COMPONENT_FIELDS, DEFAULTS, DEFAULT_NAMESPACE } from "./spec";

export function checkName(fleet: GatewayFleetSpec, list: IssueList): void {
    const workload = workloadName(fleet.name);
    if (!DNS_LABEL.test(fleet.name)) list.add(["name"], `"${fleet.name}" is not a valid gateway name (lower-case letters, digits and '-')`);
    else if (workload.length > 63) list.add(["name"], `too long: the workload name ${workload} must fit in 63 characters`);
    const namespace = fleet.namespace ?? DEFAULT_NAMESPACE;
    if (!DNS_LABEL.test(namespace)) list.add(["namespace"], `"${namespace}" is not a valid namespace name (a DNS label)`);
}

export function checkClusters(fleet: GatewayFleetSpec, list: IssueList): void {
    const seen = new Set<string>();
    const byLowerCase = new Map<string, number>();
    fleet.clusters.forEach((c, i) => {
        if (seen.has(c.id)) list.add(["clusters", i, "id"], `cluster "${c.id}" is listed twice`);
        seen.add(c.id);
        const first = byLowerCase.get(c.id.toLowerCase());
        if (first !== undefined && fleet.clusters[first].id !== c.id) {
            list.add(
                ["clusters", i, "id"],
                `"${c.id}" differs from clusters[${first}].id ("${fleet.clusters[first].id}") only in case: the plan writes a folder per cluster, which a case-insensitive file system (macOS, Windows) would merge`,
            );
        }
        if (first === undefined) byLowerCase.set(c.id.toLowerCase(), i);
        if (!QUALIFIED_NAME.test(c.id) || c.id.length > 63) {
            list.add(["clusters", i, "id"], `"${c.id}" is not a valid cluster id (letters, digits, '-', '_', '.'; at most 63)`);
        }
        if (fleet.mode === "istio" && c.kubeconfig !== undefined && c.ackClusterId !== undefined) {
            list.add(["clusters", i], "give either kubeconfig or ackClusterId, not both");
        }
        if (fleet.mode === "asm" && hasCredentials(c) && !needsCredentials(fleet, c.id)) {
            list.warn(
                ["clusters", i],
                "asm mode reaches clusters through the mesh control plane; this cluster's credentials are not used (only additional load balancers' Services and TLS Secrets need them)",
            );
        }
    });
    const given = fleet.gateway.clusterIds;
    if (given !== undefined) {
        const ids = fleet.clusters.map((c) => c.id);
        const missing = given.filter((id) => !seen.has(id));
        const extra = ids.filter((id) => !given.includes(id));
        if (missing.length > 0 || extra.length > 0) {
            list.add(["gateway", "clusterIds"], `must name the same clusters as clusters (${ids.join(", ")}); got ${given.join(", ")}`);
        }
    }
}

export function checkAsm(fleet: GatewayFleetSpec, list: IssueList): void {
    if ((fleet.namespace ?? DEFAULT_NAMESPACE) !== DEFAULT_NAMESPACE) {
        list.add(
            ["namespace"],
            `ASM gateways must be in ${DEFAULT_NAMESPACE} (gateways elsewhere cannot read their configuration in Istio 1.6 and later)`,
        );
    }
    if (
        fleet.controlPlane === undefined ||
        (fleet.controlPlane.kubeconfig === undefined && fleet.controlPlane.serviceMeshId === undefined)
    ) {
        list.add(["controlPlane"], "asm mode needs the mesh control plane: give controlPlane.kubeconfig or controlPlane.serviceMeshId");
    } else if (
        fleet.controlPlane.kubeconfig !== undefined &&
        fleet.controlPlane.serviceMeshId !== undefined &&
        fleet.security?.oidc === undefined
    ) {
        // Both: the kubeconfig connects, the id names the instance to ASM's API (the login's
        // extension provider). Without a login nothing would use the id.
        list.warn(
            ["controlPlane", "serviceMeshId"],
            "not used: controlPlane.kubeconfig connects to the control plane, and only security.oidc calls ASM's API with the instance id",
        );
    }
    if (fleet.gracefulShutdown?.terminationGracePeriodSeconds !== undefined) {
        list.add(
            ["gracefulShutdown", "terminationGracePeriodSeconds"],
            "ASM fixes the gateway pod's grace period at 30s; set it only in istio mode",
        );
    }
    if ((fleet.gracefulShutdown?.drainSeconds ?? 0) > DEFAULTS.terminationGracePeriodSeconds) {
        list.add(
            ["gracefulShutdown", "drainSeconds"],
            `must be at most ${DEFAULTS.terminationGracePeriodSeconds}s, the grace period of ASM gateway pods`,
        );
    }
    if (fleet.revision !== undefined) list.add(["revision"], "ASM chooses the gateway's revision; set revision only in istio mode");
    if (fleet.istioVersion !== undefined)
        list.add(["istioVersion"], "in asm mode the Istio version is the one asmVersion embeds; give asmVersion");
    checkAsmOverrides(fleet, list);
}

/** ASM applies only some fields per cluster, some from a given ASM version on. */
function checkAsmOverrides(fleet: GatewayFleetSpec, list: IssueList): void {
    for (const [clusterId, override] of Object.entries(fleet.gateway.overrides ?? {})) {
        for (const field of Object.keys(override)) {
            const path: PathSegment[] = ["gateway", "overrides", { key: clusterId }, field];
            if ((COMPONENT_FIELDS as readonly string[]).includes(field)) continue;
            if (!(field in ASM_OVERRIDABLE_FIELDS)) {
                list.add(
                    path,
                    `ASM does not apply ${field} per cluster; overrides may set only ${Object.keys(ASM_OVERRIDABLE_FIELDS).join(", ")} (use istio mode for per-cluster ${field})`,
                );
                continue;
            }
            const since = ASM_OVERRIDABLE_FIELDS[field];
            if (since && fleet.asmVersion !== undefined && compareVersions(fleet.asmVersion, since) < 0) {
                list.add(path, `ASM ${fleet.asmVersion} ignores ${field} in overrides; it needs ASM ${since} or later`);
            }
        }
    }
}

export function checkIstio(fleet: GatewayFleetSpec, list: IssueList): void {
    if (fleet.controlPlane !== undefined) list.warn(["controlPlane"], "istio mode does not use the ASM control plane");
    if (fleet.asmVersion !== undefined) list.warn(["asmVersion"], "istio mode ignores asmVersion (istioVersion gives the mesh's version)");
    if (fleet.gateway.autoCreateGatewayYaml === true) {
        list.warn(["gateway", "autoCreateGatewayYaml"], "only ASM creates an Istio Gateway by itself; declare routes instead");
    }
    if (fleet.revision !== undefined && !DNS_LABEL.test(fleet.revision)) {
        list.add(["revision"], `"${fleet.revision}" is not a valid revision name (a DNS label)`);
    }
}

export function checkGracefulShutdown(fleet: GatewayFleetSpec, list: IssueList): void {
    const drain = fleet.gracefulShutdown?.drainSeconds ?? DEFAULTS.drainSeconds;
    const grace = fleet.gracefulShutdown?.terminationGracePeriodSeconds;
    if (grace !== undefined && drain > grace) {
        list.add(
            ["gracefulShutdown", "drainSeconds"],
            `${drain}s is longer than terminationGracePeriodSeconds (${grace}s): the pod would be killed mid-drain`,
        );
    }
}
