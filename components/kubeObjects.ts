// Registers plain Kubernetes objects from the core as Pulumi resources of their own type token
// (`kubernetes:apps/v1:Deployment`, `kubernetes:networking.istio.io/v1:Gateway`), so previews
// show kinds users know and the provider applies each kind's await logic.
//
// A plain CustomResource with the kind's token, not the typed @pulumi/kubernetes classes: those
// add aliases for every older API version of the kind, and the SDK resolves each alias through
// Outputs, which made registration about a third slower on large fleets (docs/benchmarks.md).
import * as pulumi from "@pulumi/pulumi";
import type { KubeObject } from "../core/render/common";

/** Any Kubernetes kind; the outputs are whatever fields the object was registered with. */
class KubeObjectResource extends pulumi.CustomResource {}

/** The provider's type token of an object: `v1` is the `core` group. */
export function kubeTypeToken(obj: Pick<KubeObject<unknown>, "apiVersion" | "kind">): string {
    const apiVersion = obj.apiVersion.includes("/") ? obj.apiVersion : `core/${obj.apiVersion}`;
    return `kubernetes:${apiVersion}:${obj.kind}`;
}

/**
 * Registers `obj`. `extra` adds output-only fields to read back, such as `status`. A Secret's
 * data is a Pulumi secret in state and outputs, as the typed Secret class makes it.
 */
export function registerKubeObject(
    name: string,
    obj: KubeObject<unknown>,
    opts: pulumi.CustomResourceOptions,
    extra: Record<string, unknown> = {},
): pulumi.CustomResource {
    const props: Record<string, unknown> = { ...obj, ...extra };
    let options = opts;
    if (obj.apiVersion === "v1" && obj.kind === "Secret") {
        for (const key of ["data", "stringData"]) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
        options = { ...opts, additionalSecretOutputs: ["data", "stringData"] };
    }
    return new KubeObjectResource(kubeTypeToken(obj), name, props, options);
}
