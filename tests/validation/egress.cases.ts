// Egress routes and the egress gateway.
import { base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "egress routes on an ingress gateway",
        () => ({ ...base(), routing: { egress: [{ host: "api.partner.com", protocol: "TLS" }] } }),
        "routing.egress[0]: egress routes need an egress gateway",
    ],
    [
        "a wildcard egress host",
        () => ({ ...base(), gateway: { gatewayType: "egress" }, routing: { egress: [{ host: "*.partner.com", protocol: "TLS" }] } }),
        'routing.egress[0].host: "*.partner.com" must be one external host name',
    ],
    [
        "an egress port the gateway lacks",
        () => ({
            ...base(),
            gateway: { gatewayType: "egress" },
            routing: { egress: [{ host: "api.partner.com", protocol: "TLS", port: 8443 }] },
        }),
        "routing.egress[0].port: the egress gateway Service has no port 8443",
    ],
    [
        "egress with Gateway API",
        () => ({
            ...base(),
            gateway: { gatewayType: "egress" },
            routing: { api: "gateway-api", egress: [{ host: "api.partner.com", protocol: "TLS" }] },
        }),
        "routing.egress[0]: egress routes are rendered with Istio APIs only",
    ],
];
