// Access logs (core/observability.ts).
import { base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "extra access log fields without a format",
        () => ({ ...base(), observability: { accessLogs: { fields: [{ name: "waf_id", requestHeader: "X-Waf-Id" }] } } }),
        "observability.accessLogs.fields: extra fields need a format (text or json)",
    ],
    [
        "an access log format while logs are off",
        () => ({ ...base(), observability: { accessLogs: { enabled: false, format: "json" } } }),
        "observability.accessLogs.format: access logs are off (enabled: false)",
    ],
    [
        "an unknown access log format",
        () => ({ ...base(), observability: { accessLogs: { format: "yaml" } } }),
        'observability.accessLogs.format: must be one of "text", "json"',
    ],
    [
        "an access log provider without a format",
        () => ({ ...base(), observability: { accessLogs: { provider: "gw-log" } } }),
        "observability.accessLogs.provider: names the provider that carries a format",
    ],
    [
        "an access log provider named like the mesh's built-in one",
        () => ({ ...base(), observability: { accessLogs: { format: "text", provider: "envoy" } } }),
        "observability.accessLogs.provider: envoy is a provider of every mesh's default config",
    ],
    [
        "an access log header name with a space",
        () => ({ ...base(), observability: { accessLogs: { format: "json", fields: [{ name: "waf", requestHeader: "X Waf Id" }] } } }),
        'observability.accessLogs.fields[0].requestHeader: "X Waf Id" is not an HTTP header name',
    ],
    [
        "an access log header name with a percent sign",
        () => ({ ...base(), observability: { accessLogs: { format: "text", fields: [{ name: "waf", responseHeader: "X-Waf%" }] } } }),
        'observability.accessLogs.fields[0].responseHeader: "X-Waf%" is not an HTTP header name',
    ],
    [
        "an unknown pseudo-header in an access log field",
        () => ({ ...base(), observability: { accessLogs: { format: "text", fields: [{ name: "st", requestHeader: ":status" }] } } }),
        "observability.accessLogs.fields[0].requestHeader: :status is not a request pseudo-header",
    ],
    [
        "an access log field with two headers",
        () => ({
            ...base(),
            observability: { accessLogs: { format: "json", fields: [{ name: "a", requestHeader: "X-A", responseHeader: "X-A" }] } },
        }),
        "observability.accessLogs.fields[0]: give requestHeader or responseHeader, not both",
    ],
    [
        "an access log field with no header",
        () => ({ ...base(), observability: { accessLogs: { format: "json", fields: [{ name: "a" }] } } }),
        "observability.accessLogs.fields[0]: needs requestHeader or responseHeader",
    ],
    [
        "two access log fields with one name",
        () => ({
            ...base(),
            observability: {
                accessLogs: {
                    format: "json",
                    fields: [
                        { name: "a", requestHeader: "X-A" },
                        { name: "a", requestHeader: "X-B" },
                    ],
                },
            },
        }),
        "observability.accessLogs.fields[1].name: a is also the name of observability.accessLogs.fields[0]",
    ],
    [
        "an access log field Istio's JSON format already has",
        () => ({
            ...base(),
            observability: { accessLogs: { format: "json", fields: [{ name: "request_id", requestHeader: "X-Waf-Id" }] } },
        }),
        "observability.accessLogs.fields[0].name: Istio's JSON access log already has a field request_id",
    ],
    [
        "an access log field name with a space",
        () => ({ ...base(), observability: { accessLogs: { format: "text", fields: [{ name: "waf id", requestHeader: "X-Waf-Id" }] } } }),
        'observability.accessLogs.fields[0].name: "waf id" is not a field name',
    ],
    [
        "an access log field cut to zero characters",
        () => ({
            ...base(),
            observability: { accessLogs: { format: "text", fields: [{ name: "a", requestHeader: "X-A", maxLength: 0 }] } },
        }),
        "observability.accessLogs.fields[0].maxLength: must be >= 1",
    ],
];
