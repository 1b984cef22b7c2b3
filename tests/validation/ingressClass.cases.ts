// The gateway as the Kubernetes Ingress controller (core/ingressClass.ts).
import { asm, base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "an Ingress class in asm mode",
        () => ({ ...asm(), ingressClass: { name: "istio" } }),
        "ingressClass: asm mode: ASM documents no way to make its control plane serve Kubernetes Ingress",
    ],
    [
        "an Ingress class on an egress gateway",
        () => ({ ...base(), gateway: { gatewayType: "egress" }, ingressClass: { name: "istio" } }),
        "ingressClass: an egress gateway cannot serve Ingress",
    ],
    [
        "an Ingress class name that is not a DNS name",
        () => ({ ...base(), ingressClass: { name: "Istio_Edge" } }),
        "ingressClass.name: must match pattern",
    ],
    [
        "an Ingress class without a name",
        () => ({ ...base(), ingressClass: { default: true } }),
        "ingressClass: must have required property 'name'",
    ],
];
