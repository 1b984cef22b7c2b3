// The fleet itself: name, mode, clusters, namespace, revision, versions, overrides naming clusters, graceful shutdown.
import { base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "an override for a cluster not in clusters",
        () => ({ ...base(), gateway: { overrides: { c3: { replicaCount: 2 } } } }),
        'gateway.overrides["c3"]: cluster c3 is not in clusters (c1, c2)',
    ],
    [
        "clusterIds that disagree with clusters",
        () => ({ ...base(), gateway: { clusterIds: ["c1", "c9"] } }),
        "gateway.clusterIds: must name the same clusters as clusters (c1, c2); got c1, c9",
    ],
    ["an unknown install mode", () => ({ ...base(), mode: "helm" }), 'mode: must be one of "asm", "istio"'],
    ["no clusters", () => ({ ...base(), clusters: [] }), "clusters: must NOT have fewer than 1 items"],
    [
        "the same cluster twice",
        () => ({ ...base(), clusters: [{ id: "c1" }, { id: "c1" }] }),
        'clusters[1].id: cluster "c1" is listed twice',
    ],
    ["an invalid gateway name", () => ({ ...base(), name: "Edge_GW" }), 'name: "Edge_GW" is not a valid gateway name'],
    ["asm mode without a control plane", () => ({ ...base(), mode: "asm" }), "controlPlane: asm mode needs the mesh control plane"],
    [
        "a drain longer than the grace period",
        () => ({ ...base(), gracefulShutdown: { drainSeconds: 60, terminationGracePeriodSeconds: 30 } }),
        "gracefulShutdown.drainSeconds: 60s is longer than terminationGracePeriodSeconds (30s)",
    ],
    [
        "an invalid namespace",
        () => ({ ...base(), namespace: "Gateways!" }),
        'namespace: "Gateways!" is not a valid namespace name (a DNS label)',
    ],
    ["an invalid cluster id", () => ({ ...base(), clusters: [{ id: "c 1" }] }), 'clusters[0].id: "c 1" is not a valid cluster id'],
    [
        "a cluster with both a kubeconfig and an ACK id",
        () => ({ ...base(), clusters: [{ id: "c1", kubeconfig: "k", ackClusterId: "c1" }] }),
        "clusters[0]: give either kubeconfig or ackClusterId, not both",
    ],
    ["an invalid revision", () => ({ ...base(), revision: "1-22_x" }), 'revision: "1-22_x" is not a valid revision name'],
    [
        "a gateway name too long for its workload",
        () => ({ ...base(), name: "a".repeat(60) }),
        `name: too long: the workload name istio-${"a".repeat(60)} must fit in 63 characters`,
    ],
    ["an istioVersion that is not a version", () => ({ ...base(), istioVersion: "latest" }), "istioVersion: must match pattern"],
];
