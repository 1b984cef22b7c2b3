// What ASM renders itself, so asm mode refuses: fields of the IstioGateway it lacks, its namespace, revision and grace period.
import { asm } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    ["an ASM gateway outside istio-system", () => ({ ...asm(), namespace: "gateways" }), "namespace: ASM gateways must be in istio-system"],
    [
        "a drain longer than ASM's fixed grace period",
        () => ({ ...asm(), gracefulShutdown: { drainSeconds: 45 } }),
        "gracefulShutdown.drainSeconds: must be at most 30s, the grace period of ASM gateway pods",
    ],
    [
        "a grace period in asm mode",
        () => ({ ...asm(), gracefulShutdown: { terminationGracePeriodSeconds: 60 } }),
        "gracefulShutdown.terminationGracePeriodSeconds: ASM fixes the gateway pod's grace period at 30s",
    ],
    ["a revision in asm mode", () => ({ ...asm(), revision: "canary" }), "revision: ASM chooses the gateway's revision"],
    ["an asmVersion that is not a version", () => ({ ...asm(), asmVersion: "latest" }), "asmVersion: must match pattern"],
    [
        "istioVersion in asm mode",
        () => ({ ...asm(), istioVersion: "1.29" }),
        "istioVersion: in asm mode the Istio version is the one asmVersion embeds",
    ],
    [
        "an override field ASM does not honour",
        () => ({ ...asm(), gateway: { overrides: { c1: { podLabels: { a: "b" } } } } }),
        'gateway.overrides["c1"].podLabels: ASM does not apply podLabels per cluster',
    ],
    [
        "an HPA override on an ASM older than 1.16",
        () => ({ ...asm(), asmVersion: "1.15", gateway: { overrides: { c1: { maxReplicas: 3 } } } }),
        'gateway.overrides["c1"].maxReplicas: ASM 1.15 ignores maxReplicas in overrides; it needs ASM 1.16 or later',
    ],
    [
        "source ranges in asm mode",
        () => ({ ...asm(), gateway: { loadBalancerSourceRanges: ["10.0.0.0/8"] } }),
        "gateway.loadBalancerSourceRanges: ASM renders the gateway Service and the IstioGateway has no field for its source ranges " +
            "(on Alibaba Cloud, the load balancer's ACL annotations",
    ],
    [
        "IP families in asm mode",
        () => ({ ...asm(), gateway: { ipFamilies: ["IPv6"] } }),
        "gateway.ipFamilies: ASM renders the gateway Service and the IstioGateway has no field for its IP families",
    ],
    [
        "an IP family policy in asm mode",
        () => ({ ...asm(), gateway: { ipFamilyPolicy: "PreferDualStack" } }),
        "gateway.ipFamilyPolicy: ASM renders the gateway Service",
    ],
    [
        "external IPs in asm mode",
        () => ({ ...asm(), gateway: { externalIPs: ["10.0.0.9"] } }),
        "gateway.externalIPs: ASM renders the gateway Service",
    ],
    [
        "topology spread in asm mode",
        () => ({
            ...asm(),
            gateway: {
                topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" }],
            },
        }),
        "gateway.topologySpreadConstraints: ASM renders the gateway pods",
    ],
    [
        "a priority class in asm mode",
        () => ({ ...asm(), gateway: { priorityClassName: "gateway" } }),
        "gateway.priorityClassName: ASM renders the gateway pods",
    ],
    [
        "pull secrets in asm mode",
        () => ({ ...asm(), gateway: { imagePullSecrets: [{ name: "registry" }] } }),
        "gateway.imagePullSecrets: ASM renders the gateway pods and pulls the proxy image itself",
    ],
    [
        "ServiceAccount annotations in asm mode",
        () => ({ ...asm(), gateway: { serviceAccountAnnotations: { "pod-identity.alibabacloud.com/role-name": "gw" } } }),
        "gateway.serviceAccountAnnotations: ASM creates the gateway's ServiceAccount",
    ],
    [
        "an HPA behavior in asm mode",
        () => ({ ...asm(), gateway: { maxReplicas: 4, autoscaleBehavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } }),
        "gateway.autoscaleBehavior: ASM renders the HPA from cpu, memory, minReplicas and maxReplicas only",
    ],
    [
        "a PDB in asm mode",
        () => ({ ...asm(), gateway: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } } }),
        "gateway.podDisruptionBudget: ASM renders the gateway workload",
    ],
    [
        "annotations on every object in asm mode",
        () => ({ ...asm(), gateway: { annotations: { team: "edge" } } }),
        "gateway.annotations: ASM renders the gateway's objects",
    ],
    [
        "a chart field in an asm override",
        () => ({ ...asm(), gateway: { overrides: { c1: { priorityClassName: "gateway" } } } }),
        'gateway.overrides["c1"].priorityClassName: ASM does not apply priorityClassName per cluster',
    ],
    [
        "a DaemonSet in asm mode",
        () => ({ ...asm(), gateway: { kind: "DaemonSet" } }),
        "gateway.kind: ASM renders the gateway workload as a Deployment",
    ],
];

/** Fleets that plan, with a warning. */
export const warnings: Case[] = [
    [
        "an ASM instance id beside a control-plane kubeconfig, with nothing calling ASM's API",
        () => ({ ...asm(), controlPlane: { kubeconfig: "k", serviceMeshId: "m" } }),
        "controlPlane.serviceMeshId: not used: controlPlane.kubeconfig connects to the control plane, and only security.oidc calls ASM's API",
    ],
];
