// Registers plain Kubernetes objects from the core as Pulumi resources of their own type, so
// previews show kinds users know and the provider applies each kind's await logic.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubeObject } from "../core/render/common";

// Each class takes its own args type; the plain object is that type's shape, checked by the schema tests.
type KubeResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const TYPED: Record<string, KubeResourceClass> = {
    "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
    "v1/Service": k8s.core.v1.Service,
    "v1/Secret": k8s.core.v1.Secret,
    "v1/ConfigMap": k8s.core.v1.ConfigMap,
    "apps/v1/Deployment": k8s.apps.v1.Deployment,
    "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
    "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
    "autoscaling/v2/HorizontalPodAutoscaler": k8s.autoscaling.v2.HorizontalPodAutoscaler,
    "policy/v1/PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget,
};

/**
 * Registers `obj`. `extra` adds inputs the core cannot know (Outputs such as certificate
 * data) and output-only fields to read back, such as `status`.
 */
export function registerKubeObject(name: string, obj: KubeObject, opts: pulumi.CustomResourceOptions, extra: Record<string, unknown> = {}): pulumi.CustomResource {
    const cls = TYPED[`${obj.apiVersion}/${obj.kind}`];
    const args = { ...obj, ...extra };
    return cls ? new cls(name, args as never, opts) : new k8s.apiextensions.CustomResource(name, args as k8s.apiextensions.CustomResourceArgs, opts);
}
