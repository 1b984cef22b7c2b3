// The gateway as the Kubernetes Ingress controller: an IngressClass per cluster whose controller is
// Istio's, and the mesh config istiod needs to serve Ingresses through this gateway's pods. The
// mesh config is istiod's, not the gateway's: the plan prints it and never claims it is applied.
import { formatPath, type ConfigIssue, type IssueList } from "./errors";
import { workloadNames, type GatewayFleetSpec } from "./fleet";
import type { KubeObject } from "./render/common";
import { DEFAULTS, DEFAULT_NAMESPACE } from "./spec";

/** Make the gateway serve the cluster's Kubernetes `Ingress` objects (istio mode). */
export interface IngressClassSettings {
    /** Name of the IngressClass created in every cluster (a DNS name); Ingresses select it by `spec.ingressClassName`. */
    name: string;
    /** Mark it the cluster's default class, so Ingresses created without a class get it. Default false. */
    default?: boolean;
}

/** The IngressClass controller istiod serves (`IstioIngressController`). */
export const ISTIO_INGRESS_CONTROLLER = "istio.io/ingress-controller";
/** The annotation the API server's DefaultIngressClass admission reads. */
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

export function checkIngressClass(fleet: GatewayFleetSpec, list: IssueList): void {
    const s = fleet.ingressClass;
    if (s === undefined) return;
    if (fleet.mode === "asm") {
        // istiod picks Ingress pods and turns Ingress serving on through its mesh config
        // (ingressControllerMode, ingressSelector, ingressService); ASM manages its control plane's
        // mesh config and documents no setting for these, so nothing here could make it serve Ingress.
        list.add(
            ["ingressClass"],
            "asm mode: ASM documents no way to make its control plane serve Kubernetes Ingress through a gateway (istiod's meshConfig ingressSelector/ingressControllerMode are not settable there); declare routing instead",
        );
    }
    if ((fleet.gateway.gatewayType ?? DEFAULTS.gatewayType) === "egress") {
        list.add(["ingressClass"], "an egress gateway cannot serve Ingress: use an ingress gateway");
    }
}

/** What istiod needs, printed as meshConfig YAML: the gateway cannot set it. */
export function ingressClassNotes(fleet: GatewayFleetSpec): ConfigIssue[] {
    const s = fleet.ingressClass;
    if (s === undefined || fleet.mode !== "istio") return [];
    const names = workloadNames(fleet.name);
    const namespace = fleet.namespace ?? DEFAULT_NAMESPACE;
    const yaml = [
        "meshConfig:",
        "  ingressControllerMode: STRICT",
        `  ingressSelector: ${names.selector.istio}`,
        `  ingressService: ${names.workload}`,
        `  ingressClass: ${s.name}`,
    ].join("\n");
    const ns =
        namespace === DEFAULT_NAMESPACE
            ? ""
            : ` istiod looks ingressService up in its K8S_INGRESS_NS namespace (default ${DEFAULT_NAMESPACE}): set K8S_INGRESS_NS=${namespace} on istiod, or Ingress status gets no address.`;
    return [
        {
            path: formatPath(["ingressClass"]),
            message:
                `IngressClass ${s.name} (controller ${ISTIO_INGRESS_CONTROLLER}) is created in every cluster, but istiod serves Ingresses ` +
                `through this gateway only with this mesh config, which this component does not apply (it is the mesh's; OFF starts no Ingress controller):\n${yaml}\n` +
                `Istio ignores Ingress annotations (rewrites, timeouts, auth, ...) other than kubernetes.io/ingress.class.${ns}`,
        },
    ];
}

export function renderIngressClass(s: IngressClassSettings | undefined): KubeObject[] {
    if (s === undefined) return [];
    return [
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "IngressClass",
            metadata: { name: s.name, ...(s.default === true ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } } : {}) },
            spec: { controller: ISTIO_INGRESS_CONTROLLER },
        },
    ];
}
