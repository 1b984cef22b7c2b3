// What ASM's controller renders in a data-plane cluster from an IstioGateway: shared by the e2e
// harness playing ASM (tests/e2e/cloud.ts) and the offline analyze test, so both read the same
// gateway pods and Service.
import { effectiveSpec } from "../../core/effective";
import { workloadNames } from "../../core/fleet";
import { renderIstioGateway } from "../../core/render/istio";
import { DEFAULTS, DEFAULT_NAMESPACE, type GatewaySpec } from "../../core/spec";

/** A Kubernetes object as read from an API server or a plan (annotation values may be anything). */
export interface AnyObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; [k: string]: unknown };
    [k: string]: unknown;
}

/** The proxy image of ASM's gateway pods: ASM renders the whole pod, no injector completes it (kwok pulls nothing). */
export const ASM_PROXY_IMAGE = "asm-proxyv2:rendered-by-asm";

/**
 * What ASM renders in cluster `clusterId` from an IstioGateway: the ServiceAccount, Deployment
 * (or DaemonSet), Service and HPA named `istio-<metadata.name>` in its namespace (ASM's gateway
 * CRD reference: the controller "synchronizes the associated Kubernetes Service, Deployment,
 * ServiceAccount"), from the cluster's spec with its override fields replacing the base ones.
 * The labels and selectors are the product's own derivation (`workloadNames`), the ones its
 * routing selects; the pod spec is the istio-mode rendering of the same spec, with the proxy
 * image in place (ASM's pods are not completed by an injector).
 */
export function asmWorkload(gateway: AnyObject, clusterId: string): AnyObject[] {
    if (gateway.kind !== "IstioGateway") throw new Error(`not an IstioGateway: ${gateway.kind} ${gateway.metadata.name}`);
    const spec = effectiveSpec(gateway.spec as GatewaySpec, clusterId);
    const rendered = renderIstioGateway(spec, {
        names: workloadNames(gateway.metadata.name),
        namespace: gateway.metadata.namespace ?? DEFAULT_NAMESPACE,
        // The IstioGateway carries its affinity and drain settings itself: nothing is added.
        spreadReplicas: false,
        drainSeconds: DEFAULTS.drainSeconds,
        terminationGracePeriodSeconds: DEFAULTS.terminationGracePeriodSeconds,
        bindings: [],
    });
    const kinds = ["ServiceAccount", "Deployment", "DaemonSet", "Service", "HorizontalPodAutoscaler"];
    return rendered
        .filter((o) => kinds.includes(o.kind))
        .map((o) => {
            if (o.kind !== "Deployment" && o.kind !== "DaemonSet") return o as AnyObject;
            const workload = structuredClone(o) as AnyObject & { spec: { template: { spec: { containers: { image?: string }[] } } } };
            for (const c of workload.spec.template.spec.containers) if (c.image === "auto") c.image = ASM_PROXY_IMAGE;
            return workload;
        });
}
