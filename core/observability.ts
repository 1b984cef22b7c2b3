// Access logs of the gateway pods: on or off, in text or JSON, with extra fields from request and
// response headers. Istio's Telemetry API selects providers by name only; the format of a file
// access log lives in the mesh's extension provider (`meshConfig.extensionProviders`), which is
// not the gateway's to edit in istio mode. ASM applies that provider from an object on its control
// plane (ASMExtensionProvider), so there the component creates it.
import { ownValue } from "./input";
import YAML from "yaml";
import type { IssueList, PathSegment } from "./errors";
import { ISTIO_V1_API_SINCE, type MeshTarget } from "./meshVersion";
import type { WorkloadNames } from "./fleet";
import type { KubeObject } from "./render/common";

/** The shape of each access log line: Envoy's text format or one JSON object per line. */
export const AccessLogFormat = { Text: "text", Json: "json" } as const;
export type AccessLogFormat = (typeof AccessLogFormat)[keyof typeof AccessLogFormat];

/** One extra field of each log line: the value of a request or of a response header. */
export interface AccessLogField {
    /** The field's key: the JSON key, or `name=` before the quoted value in text. Letters, digits, `_`, `.`, `-`; unique. */
    name: string;
    /** The request header to log, e.g. `X-Forwarded-For` or a WAF's request id header (Envoy's `%REQ(...)%`). Give this or responseHeader. */
    requestHeader?: string;
    /** The response header to log (Envoy's `%RESP(...)%`). Give this or requestHeader. */
    responseHeader?: string;
    /** Longest value logged, in characters; longer values are cut. Default: the whole value. */
    maxLength?: number;
}

/** Access logs of the gateway pods (Envoy's file access log, on the proxy's standard output). */
export interface AccessLogSettings {
    /** Write access logs. Default true; false turns them off for these pods even where the mesh logs everywhere. */
    enabled?: boolean;
    /**
     * `text` or `json`: Istio's default fields in that format plus `fields`, from an extension
     * provider of their own. Default: the mesh's built-in `envoy` provider, in the mesh's own format.
     */
    format?: AccessLogFormat;
    /** Header values added to Istio's default fields. Needs `format`. Default: none. */
    fields?: AccessLogField[];
    /** Name of the extension provider that carries the format (with `format`). Default `<gateway name>-access-log`. */
    provider?: string;
}

/** Telemetry of the gateway pods. */
export interface ObservabilitySpec {
    /** Access logs of the gateway pods. Default: whatever the mesh does. */
    accessLogs?: AccessLogSettings;
}

/** What the rules need to know of the rest of the fleet. */
export interface ObservabilityContext {
    mode: "asm" | "istio";
    gatewayName: string;
}

/** The provider Istio defines in every mesh (pkg/config/mesh/mesh.go): /dev/stdout, the mesh's own format. */
export const BUILTIN_ACCESS_LOG_PROVIDER = "envoy";
/** Provider names Istio's default mesh config defines; a provider of that name would replace the mesh's own. */
const MESH_DEFAULT_PROVIDERS = ["envoy", "prometheus", "stackdriver"];
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// An HTTP field name is an RFC 9110 token; `%` would end Envoy's command operator early.
const HEADER_NAME = /^[A-Za-z0-9!#$&'*+.^_`|~-]+$/;
const REQUEST_PSEUDO_HEADERS = [":authority", ":method", ":path", ":scheme"];
const RESPONSE_PSEUDO_HEADERS = [":status"];
const PROVIDER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

// Istio's own formats for a file access log provider (pilot/pkg/model/telemetry_logging.go,
// EnvoyTextLogFormat and EnvoyJSONLogFormatIstio). A provider that sets a format replaces them
// whole, so the extra fields are added to these.
const ISTIO_TEXT_FORMAT =
    '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
    '%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% ' +
    '%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" ' +
    '"%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% ' +
    "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%";
const ISTIO_JSON_LABELS: Readonly<Record<string, string>> = {
    start_time: "%START_TIME%",
    route_name: "%ROUTE_NAME%",
    method: "%REQ(:METHOD)%",
    path: "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
    protocol: "%PROTOCOL%",
    response_code: "%RESPONSE_CODE%",
    response_flags: "%RESPONSE_FLAGS%",
    response_code_details: "%RESPONSE_CODE_DETAILS%",
    connection_termination_details: "%CONNECTION_TERMINATION_DETAILS%",
    bytes_received: "%BYTES_RECEIVED%",
    bytes_sent: "%BYTES_SENT%",
    duration: "%DURATION%",
    upstream_service_time: "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
    x_forwarded_for: "%REQ(X-FORWARDED-FOR)%",
    user_agent: "%REQ(USER-AGENT)%",
    request_id: "%REQ(X-REQUEST-ID)%",
    authority: "%REQ(:AUTHORITY)%",
    upstream_host: "%UPSTREAM_HOST%",
    upstream_cluster: "%UPSTREAM_CLUSTER_RAW%",
    upstream_local_address: "%UPSTREAM_LOCAL_ADDRESS%",
    downstream_local_address: "%DOWNSTREAM_LOCAL_ADDRESS%",
    downstream_remote_address: "%DOWNSTREAM_REMOTE_ADDRESS%",
    requested_server_name: "%REQUESTED_SERVER_NAME%",
    upstream_transport_failure_reason: "%UPSTREAM_TRANSPORT_FAILURE_REASON%",
};

const accessLogsAt = (...rest: PathSegment[]): PathSegment[] => ["observability", "accessLogs", ...rest];

export function checkAccessLogs(logs: AccessLogSettings, ctx: ObservabilityContext, list: IssueList): void {
    const at = accessLogsAt;
    if (logs.enabled === false) {
        for (const key of ["format", "fields", "provider"] as const) {
            if (logs[key] !== undefined) list.add(at(key), "access logs are off (enabled: false): nothing would be logged in this format");
        }
        return;
    }
    checkAccessLogProvider(logs, list);
    const names = new Map<string, number>();
    (logs.fields ?? []).forEach((f, i) => checkAccessLogField(f, i, logs.format, names, list));
    if (ctx.mode === "asm" && logs.format === AccessLogFormat.Json) {
        list.warn(
            at("format"),
            "ASM documents a JSON access log as a text format holding a JSON object (ASMExtensionProvider's logFormat.text); Envoy does not escape values there, so a header value with a double quote (a User-Agent can hold one) makes that line invalid JSON",
        );
    }
    const entry = meshExtensionProvider(logs, ctx.gatewayName);
    if (entry !== undefined && ctx.mode === "istio") {
        list.warn(
            at("format"),
            `the gateway logs through the extension provider ${entry.name}, which only the mesh config can define. ` +
                "Until the mesh config (istiod's meshConfig, e.g. the istio ConfigMap or IstioOperator/helm values) holds this entry, " +
                `Istio skips the provider and the gateway writes no access log:\n${meshConfigYaml(entry)}`,
        );
    }
}

/** Extra fields and a provider name only mean something with a format of the gateway's own. */
function checkAccessLogProvider(logs: AccessLogSettings, list: IssueList): void {
    const at = accessLogsAt;
    if (logs.format === undefined) {
        if ((logs.fields ?? []).length > 0)
            list.add(
                at("fields"),
                `extra fields need a format (text or json): without one the gateway uses the mesh's built-in ${BUILTIN_ACCESS_LOG_PROVIDER} provider, whose format is the mesh's own (meshConfig.accessLogFormat)`,
            );
        if (logs.provider !== undefined)
            list.add(
                at("provider"),
                `names the provider that carries a format: give format (text or json), or leave it out for the mesh's built-in ${BUILTIN_ACCESS_LOG_PROVIDER} provider`,
            );
    }
    if (logs.provider !== undefined) {
        if (!PROVIDER_NAME.test(logs.provider))
            list.add(at("provider"), `"${logs.provider}" is not a provider name (letters, digits, '-', '_', '.')`);
        else if (MESH_DEFAULT_PROVIDERS.includes(logs.provider))
            list.add(
                at("provider"),
                `${logs.provider} is a provider of every mesh's default config; a gateway's own format would replace it for the whole mesh: choose another name`,
            );
    }
}

/** One extra field: a name of its own the format can hold, and exactly one header Envoy can read. */
function checkAccessLogField(
    f: AccessLogField,
    i: number,
    format: AccessLogSettings["format"],
    names: Map<string, number>,
    list: IssueList,
): void {
    const p = (...rest: PathSegment[]): PathSegment[] => accessLogsAt("fields", i, ...rest);
    if (!FIELD_NAME.test(f.name))
        list.add(p("name"), `"${f.name}" is not a field name (a letter or '_', then letters, digits, '_', '.', '-')`);
    if (names.has(f.name)) list.add(p("name"), `${f.name} is also the name of observability.accessLogs.fields[${names.get(f.name)}]`);
    names.set(f.name, i);
    const istioField = ownValue(ISTIO_JSON_LABELS, f.name);
    if (format === AccessLogFormat.Json && istioField !== undefined) {
        list.add(p("name"), `Istio's JSON access log already has a field ${f.name} (${istioField}): choose another name`);
    }
    const sources = [f.requestHeader, f.responseHeader].filter((h) => h !== undefined);
    if (sources.length !== 1) {
        list.add(p(), sources.length === 0 ? "needs requestHeader or responseHeader" : "give requestHeader or responseHeader, not both");
        return;
    }
    const [key, header, pseudo] =
        f.requestHeader !== undefined
            ? (["requestHeader", f.requestHeader, REQUEST_PSEUDO_HEADERS] as const)
            : (["responseHeader", f.responseHeader!, RESPONSE_PSEUDO_HEADERS] as const);
    if (header.startsWith(":")) {
        if (!pseudo.includes(header.toLowerCase()))
            list.add(p(key), `${header} is not a ${key === "requestHeader" ? "request" : "response"} pseudo-header (${pseudo.join(", ")})`);
    } else if (!HEADER_NAME.test(header)) {
        list.add(p(key), `"${header}" is not an HTTP header name (letters, digits and !#$&'*+.^_\`|~-)`);
    }
}

/** The name of the provider a fleet's access logs go through: its own (with a format) or the mesh's built-in one. */
export function accessLogProviderName(logs: AccessLogSettings, gatewayName: string): string {
    return logs.format === undefined ? BUILTIN_ACCESS_LOG_PROVIDER : (logs.provider ?? `${gatewayName}-access-log`);
}

/** Envoy's command operator for one field: `%REQ(X-FORWARDED-FOR)%`, `%RESP(X-ID):64%`. */
export function commandOperator(f: AccessLogField): string {
    const header = f.requestHeader ?? f.responseHeader ?? "";
    const name = header.startsWith(":") ? header.toLowerCase() : header.toUpperCase();
    return `%${f.requestHeader !== undefined ? "REQ" : "RESP"}(${name})${f.maxLength !== undefined ? `:${f.maxLength}` : ""}%`;
}

/** Istio's text format with the extra fields, each as `name="value"`. Istio adds the final newline. */
export function textLogFormat(fields: AccessLogField[]): string {
    return [ISTIO_TEXT_FORMAT, ...fields.map((f) => `${f.name}="${commandOperator(f)}"`)].join(" ");
}

/** Istio's JSON fields with the extra fields. */
export function jsonLogLabels(fields: AccessLogField[]): Record<string, string> {
    return { ...ISTIO_JSON_LABELS, ...Object.fromEntries(fields.map((f) => [f.name, commandOperator(f)])) };
}

/** The mesh config's `extensionProviders` entry a format needs (none for the built-in provider or when off). */
export interface MeshExtensionProvider {
    name: string;
    envoyFileAccessLog: { path: string; logFormat: { text: string } | { labels: Record<string, string> } };
}

export function meshExtensionProvider(logs: AccessLogSettings | undefined, gatewayName: string): MeshExtensionProvider | undefined {
    if (logs === undefined || logs.enabled === false || logs.format === undefined) return undefined;
    const fields = logs.fields ?? [];
    return {
        name: accessLogProviderName(logs, gatewayName),
        envoyFileAccessLog: {
            path: "/dev/stdout",
            logFormat: logs.format === AccessLogFormat.Text ? { text: textLogFormat(fields) } : { labels: jsonLogLabels(fields) },
        },
    };
}

/** The exact YAML to merge into the mesh config: one `extensionProviders` entry (access logs, external authorization). */
export function meshConfigYaml(entry: { name: string }): string {
    return YAML.stringify({ meshConfig: { extensionProviders: [entry] } }, { lineWidth: 0 });
}

export interface ObservabilityRenderContext {
    names: WorkloadNames;
    namespace: string;
    gatewayName: string;
    mode: "asm" | "istio";
    target: MeshTarget;
}

export const ASM_EXTENSION_PROVIDER_VERSION = "istio.alibabacloud.com/v1";

/**
 * The Telemetry that selects the gateway pods, in the gateway's namespace; in asm mode also the
 * ASMExtensionProvider that carries the format (ASM's control plane turns it into the mesh's
 * extension provider).
 */
export function renderObservability(spec: ObservabilitySpec | undefined, ctx: ObservabilityRenderContext): KubeObject[] {
    const logs = spec?.accessLogs;
    if (logs === undefined) return [];
    const provider = accessLogProviderName(logs, ctx.gatewayName);
    // Telemetry v1 came with Istio 1.22, like the other v1 APIs; older meshes serve v1alpha1.
    const apiVersion = `telemetry.istio.io/${ctx.target.istioMinor < ISTIO_V1_API_SINCE ? "v1alpha1" : "v1"}`;
    // Off names the provider too: a Telemetry that disables no provider by name leaves Istio
    // with no provider for the pods, and Istio then falls back to meshConfig.accessLogFile.
    const telemetry: KubeObject = {
        apiVersion,
        kind: "Telemetry",
        metadata: { name: `${ctx.names.workload}-access-logs`, namespace: ctx.namespace },
        spec: {
            selector: { matchLabels: { ...ctx.names.selector } },
            accessLogging: [{ providers: [{ name: provider }], disabled: logs.enabled === false }],
        },
    };
    const entry = meshExtensionProvider(logs, ctx.gatewayName);
    if (entry === undefined || ctx.mode === "istio") return [telemetry];
    const logFormat =
        "text" in entry.envoyFileAccessLog.logFormat
            ? entry.envoyFileAccessLog.logFormat
            : { text: JSON.stringify(entry.envoyFileAccessLog.logFormat.labels) };
    return [
        {
            apiVersion: ASM_EXTENSION_PROVIDER_VERSION,
            kind: "ASMExtensionProvider",
            metadata: { name: entry.name },
            spec: { envoyFileAccessLog: { path: entry.envoyFileAccessLog.path, logFormat } },
        },
        telemetry,
    ];
}
