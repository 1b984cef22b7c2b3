// JSON Schema of a gateway fleet. The property tables are checked against the TypeScript
// interfaces by `satisfies`, so a field added to one and not the other fails to compile.
// Kubernetes-typed fields (affinity, tolerations, env, lifecycle, resources) are checked
// against the official Kubernetes schemas in k8s-definitions.json.
import type { DescriptorSource, GrpcTranscoding } from "./transcoding";
import { createHash } from "crypto";
import type Ajv from "ajv";
import type { Options, ValidateFunction } from "ajv";
import k8sDefinitions from "./k8s-definitions.json";
import { InstallMode, type FleetCluster, type FleetControlPlane, type GatewayFleetSpec, type GracefulShutdown } from "./fleet";
import { hoistSubschemas, newKubernetesAjv, strictify, type JsonSchema } from "./openapi";
import type { PathSegment } from "./errors";
import {
    BalancingAlgorithm,
    EgressProtocol,
    HttpMethod,
    IstioApiVersion,
    ListenerProtocol,
    RateLimitUnit,
    RedirectScheme,
    RoutingApi,
    TlsMode,
    TlsVersion,
    type BackendPolicy,
    type Destination,
    type EgressRoute,
    type HeaderChanges,
    type HttpMatch,
    type HttpRoute,
    type Listener,
    type ListenerTls,
    type RateLimit,
    type RoutingSpec,
    type StringMatch,
    type TcpRoute,
    type TlsRoute,
} from "./routing";
import { GatewayApiChannel, VERSION_PATTERN } from "./meshVersion";
import type { IngressClassSettings } from "./ingressClass";
import {
    DnsRecords,
    IssuerKind,
    type CertificateSpec,
    type CustomAuthRule,
    type DnsSpec,
    type JwtRule,
    type PemCertificate,
    type SecuritySpec,
} from "./edge";
import type { OidcSpec } from "./oidc";
import {
    ClbAclType,
    HealthCheckType,
    LoadBalancerAddressType,
    LoadBalancerBackendType,
    LoadBalancerInstanceChargeType,
    LoadBalancerInternetChargeType,
    LoadBalancerIpVersion,
    LoadBalancerType,
    type AdditionalLoadBalancer,
    type ClbAcl,
    type ClbVServerGroup,
    type LoadBalancerHealthCheck,
    type LoadBalancerSettings,
    type NlbZone,
    type StatusHostname,
} from "./loadBalancer";
import {
    DnsPolicy,
    ExternalTrafficPolicy,
    GatewayType,
    GzipCompressionLevel,
    GzipCompressionStrategy,
    PortProtocol,
    ServiceType,
    type CompressionSettings,
    type ConfigVolume,
    type GatewayOverride,
    type GatewayPort,
    type GatewaySpec,
    type GzipSettings,
    IpFamily,
    IpFamilyPolicy,
    WorkloadKind,
    type KernelSettings,
    type PodDisruptionBudgetSettings,
    type ReadinessProbeSettings,
    type SecretVolume,
} from "./spec";
import { AccessLogFormat, type AccessLogField, type AccessLogSettings, type ObservabilitySpec } from "./observability";

type Properties<T> = { [K in keyof Required<T>]: JsonSchema };

const k8s = (name: string): JsonSchema => ({ $ref: `k8s#/definitions/io.k8s.api.core.v1.${name}` });
const stringMap: JsonSchema = { type: "object", additionalProperties: { type: "string" } };
const intOrString: JsonSchema = { type: ["integer", "string"] };
const percent: JsonSchema = { type: "integer", minimum: 1, maximum: 100 };
const portNumber: JsonSchema = { type: "integer", minimum: 1, maximum: 65535 };
/** A JSON Schema `enum` from one of the `as const` value sets, so each set is written once. */
const enumOf = (values: Readonly<Record<string, string>>): JsonSchema => ({ enum: Object.values(values) });
const object = <T>(properties: Properties<T>, required: (keyof T)[] = []): JsonSchema => ({
    type: "object",
    properties,
    required,
});

const portProperties: Properties<GatewayPort> = {
    name: { type: "string", minLength: 1 },
    port: portNumber,
    targetPort: { type: "integer", minimum: 0, maximum: 65535 },
    protocol: enumOf(PortProtocol),
    nodePort: portNumber,
};

const gzipProperties: Properties<GzipSettings> = {
    memory_level: { type: "integer", minimum: 1, maximum: 9 },
    compression_level: enumOf(GzipCompressionLevel),
    compression_strategy: enumOf(GzipCompressionStrategy),
    window_bits: { type: "integer", minimum: 9, maximum: 15 },
    chunk_size: { type: "integer", minimum: 4096, maximum: 65536 },
};

const compressionProperties: Properties<CompressionSettings> = {
    enabled: { type: "boolean" },
    content_type: { type: "array", items: { type: "string", minLength: 1 } },
    min_content_length: { type: "integer", minimum: 0 },
    disable_on_etag_header: { type: "boolean" },
    remove_accept_encoding_header: { type: "boolean" },
    gzip: object(gzipProperties),
};

const kernelProperties: Properties<KernelSettings> = {
    enabled: { type: "boolean" },
    parameters: stringMap,
};

const readinessProperties: Properties<ReadinessProbeSettings> = {
    failureThreshold: { type: "integer", minimum: 1 },
    periodSeconds: { type: "integer", minimum: 1 },
    successThreshold: { type: "integer", minimum: 1 },
};

const configVolumeProperties: Properties<ConfigVolume> = {
    name: { type: "string", minLength: 1 },
    configMapName: { type: "string", minLength: 1 },
    mountPath: { type: "string", minLength: 1 },
};

const secretVolumeProperties: Properties<SecretVolume> = {
    name: { type: "string", minLength: 1 },
    secretName: { type: "string", minLength: 1 },
    mountPath: { type: "string", minLength: 1 },
};

/** An Alibaba Cloud region id: `cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`. */
const REGION_PATTERN = "^[a-z]{2,}(-[a-z0-9]+)+$";

// Cloud ids may be Pulumi Outputs in a program: a string, or an object the schema does not open
// (core/input.ts lets only an Output or a Promise stand there).
const cloudId: JsonSchema = { type: ["string", "object"], minLength: 1 };

const healthCheckProperties: Properties<LoadBalancerHealthCheck> = {
    type: enumOf(HealthCheckType),
    intervalSeconds: { type: "integer", minimum: 1, maximum: 50 },
    timeoutSeconds: { type: "integer", minimum: 1, maximum: 300 },
    healthyThreshold: { type: "integer", minimum: 2, maximum: 10 },
    unhealthyThreshold: { type: "integer", minimum: 2, maximum: 10 },
};

const loadBalancerProperties: Properties<LoadBalancerSettings> = {
    type: enumOf(LoadBalancerType),
    addressType: enumOf(LoadBalancerAddressType),
    ipVersion: enumOf(LoadBalancerIpVersion),
    existingId: cloudId,
    forceOverrideListeners: { type: "boolean" },
    loadBalancerName: { type: "string", minLength: 2, maxLength: 80, pattern: "^[A-Za-z0-9][-A-Za-z0-9_./]*[A-Za-z0-9]$" },
    spec: { type: "string", minLength: 1 },
    instanceChargeType: enumOf(LoadBalancerInstanceChargeType),
    internetChargeType: enumOf(LoadBalancerInternetChargeType),
    bandwidth: { type: "integer", minimum: 1, maximum: 5120 },
    vswitchId: cloudId,
    masterZoneId: { type: "string", minLength: 1 },
    slaveZoneId: { type: "string", minLength: 1 },
    vpcId: cloudId,
    zoneMappings: {
        type: "array",
        maxItems: 10,
        items: object<NlbZone>({ zoneId: { type: "string", minLength: 1 }, vswitchId: cloudId }, ["zoneId"]),
    },
    crossZoneEnabled: { type: "boolean" },
    securityGroupIds: { type: "array", items: cloudId },
    preserveClientIp: { type: "boolean" },
    vServerGroups: {
        type: "array",
        minItems: 1,
        items: object<ClbVServerGroup>({ port: portNumber, id: { type: "string", pattern: "^rsp-[a-z0-9]+$" } }, ["port", "id"]),
    },
    acl: object<ClbAcl>({ id: cloudId, type: enumOf(ClbAclType) }, ["id", "type"]),
    resourceGroupId: cloudId,
    tags: { type: "object", maxProperties: 20, additionalProperties: { type: "string", maxLength: 128 } },
    deletionProtection: { type: "boolean" },
    scheduler: { type: "string", minLength: 1 },
    connectionDrainSeconds: { type: "integer", minimum: 0, maximum: 900 },
    healthCheck: object(healthCheckProperties),
    backendType: enumOf(LoadBalancerBackendType),
    tls: {
        type: "object",
        properties: { certificate: { type: "string", minLength: 1 }, ports: { type: "array", minItems: 1, items: portNumber } },
        required: ["certificate", "ports"],
    },
    statusHostname: object<StatusHostname>({ enabled: { type: "boolean" }, hostname: { type: "string", minLength: 1 } }),
};

const additionalLoadBalancerProperties: Properties<AdditionalLoadBalancer> = {
    ...loadBalancerProperties,
    name: { type: "string", minLength: 1 },
    ports: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
};

const overrideProperties: Properties<GatewayOverride> = {
    ports: { type: "array", minItems: 1, items: object(portProperties, ["name", "port"]) },
    serviceType: enumOf(ServiceType),
    loadBalancerClass: { type: "string", minLength: 1 },
    loadBalancerIP: { type: "string", minLength: 1 },
    externalTrafficPolicy: enumOf(ExternalTrafficPolicy),
    serviceAnnotations: stringMap,
    serviceLabels: stringMap,
    hostNetwork: { type: "boolean" },
    dnsPolicy: enumOf(DnsPolicy),
    env: { type: "array", items: k8s("EnvVar") },
    podLabels: stringMap,
    podAnnotations: stringMap,
    nodeSelector: stringMap,
    affinity: k8s("Affinity"),
    tolerations: { type: "array", items: k8s("Toleration") },
    replicaCount: { type: "integer", minimum: 0 },
    resources: k8s("ResourceRequirements"),
    rollingMaxSurge: intOrString,
    rollingMaxUnavailable: intOrString,
    autoscaleEnabled: { type: "boolean" },
    cpu: object({ targetAverageUtilization: percent }, ["targetAverageUtilization"]),
    memory: object({ targetAverageUtilization: percent }, ["targetAverageUtilization"]),
    minReplicas: { type: "integer", minimum: 1 },
    maxReplicas: { type: "integer", minimum: 1 },
    configVolumes: { type: "array", items: object(configVolumeProperties, ["name", "configMapName", "mountPath"]) },
    secretVolumes: { type: "array", items: object(secretVolumeProperties, ["name", "secretName", "mountPath"]) },
    kernel: object(kernelProperties),
    compression: object(compressionProperties),
    readinessProbe: object(readinessProperties),
    runAsRoot: { type: "boolean" },
    lifecycle: k8s("Lifecycle"),
    disableContainerPortExposed: { type: "boolean" },
    loadBalancer: object(loadBalancerProperties),
    additionalLoadBalancers: { type: "array", items: object(additionalLoadBalancerProperties, ["name"]) },
    loadBalancerSourceRanges: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    ipFamilies: { type: "array", minItems: 1, maxItems: 2, uniqueItems: true, items: enumOf(IpFamily) },
    ipFamilyPolicy: enumOf(IpFamilyPolicy),
    externalIPs: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    topologySpreadConstraints: { type: "array", items: k8s("TopologySpreadConstraint") },
    priorityClassName: { type: "string", minLength: 1 },
    imagePullSecrets: { type: "array", items: k8s("LocalObjectReference") },
    serviceAccountAnnotations: stringMap,
    autoscaleBehavior: { $ref: "k8s#/definitions/io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior" },
    kind: enumOf(WorkloadKind),
    podDisruptionBudget: object<PodDisruptionBudgetSettings>({ minAvailable: intOrString, maxUnavailable: intOrString }),
    annotations: stringMap,
};

const gatewayProperties: Properties<GatewaySpec> = {
    ...overrideProperties,
    gatewayType: enumOf(GatewayType),
    clusterIds: { type: "array", items: { type: "string", minLength: 1 } },
    autoCreateGatewayYaml: { type: "boolean" },
    overrides: { type: "object", additionalProperties: object(overrideProperties) },
};

const duration: JsonSchema = { type: "string", minLength: 1 };
const hostList: JsonSchema = { type: "array", minItems: 1, items: { type: "string", minLength: 1 } };
const percentage: JsonSchema = { type: "number", minimum: 0, maximum: 100 };

const tlsProperties: Properties<ListenerTls> = {
    mode: enumOf(TlsMode),
    credentialName: { type: "string", minLength: 1 },
    minProtocolVersion: enumOf(TlsVersion),
    maxProtocolVersion: enumOf(TlsVersion),
    cipherSuites: { type: "array", items: { type: "string", minLength: 1 } },
};

const listenerProperties: Properties<Listener> = {
    name: { type: "string", minLength: 1 },
    port: portNumber,
    protocol: enumOf(ListenerProtocol),
    hosts: hostList,
    httpsRedirect: { type: "boolean" },
    tls: object(tlsProperties, ["mode"]),
};

const stringMatch: JsonSchema = object<StringMatch>({ exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } });

const matchProperties: Properties<HttpMatch> = {
    path: stringMatch,
    headers: { type: "object", additionalProperties: stringMatch },
    method: enumOf(HttpMethod),
    queryParams: { type: "object", additionalProperties: stringMatch },
};

const destinationProperties: Properties<Destination> = {
    host: { type: "string", minLength: 1 },
    namespace: { type: "string", minLength: 1 },
    port: portNumber,
    subset: { type: "string", minLength: 1 },
    weight: { type: "integer", minimum: 0, maximum: 100 },
};
const destination = object(destinationProperties, ["host"]);
const destinations: JsonSchema = { type: "array", minItems: 1, items: destination };

const headerChanges = object<HeaderChanges>({
    set: stringMap,
    add: stringMap,
    remove: { type: "array", items: { type: "string", minLength: 1 } },
});

const httpRouteProperties: Properties<HttpRoute> = {
    name: { type: "string", minLength: 1 },
    hosts: hostList,
    match: { type: "array", items: object(matchProperties) },
    destinations,
    mirror: { type: "object", properties: { destination, percentage }, required: ["destination"] },
    timeout: duration,
    retries: {
        type: "object",
        properties: { attempts: { type: "integer", minimum: 0 }, perTryTimeout: duration, retryOn: { type: "string", minLength: 1 } },
        required: ["attempts"],
    },
    fault: {
        type: "object",
        properties: {
            delay: { type: "object", properties: { fixedDelay: duration, percentage }, required: ["fixedDelay", "percentage"] },
            abort: {
                type: "object",
                properties: { httpStatus: { type: "integer", minimum: 200, maximum: 599 }, percentage },
                required: ["httpStatus", "percentage"],
            },
        },
    },
    rewrite: {
        type: "object",
        properties: {
            uri: { type: "string", minLength: 1 },
            uriRegex: {
                type: "object",
                properties: { match: { type: "string", minLength: 1 }, rewrite: { type: "string" } },
                required: ["match", "rewrite"],
            },
            authority: { type: "string", minLength: 1 },
        },
    },
    redirect: {
        type: "object",
        properties: {
            uri: { type: "string", minLength: 1 },
            authority: { type: "string", minLength: 1 },
            scheme: enumOf(RedirectScheme),
            redirectCode: { enum: [301, 302, 303, 307, 308] },
        },
    },
    headers: { type: "object", properties: { request: headerChanges, response: headerChanges } },
    cors: {
        type: "object",
        properties: {
            allowOrigins: hostList,
            allowMethods: { type: "array", items: { type: "string", minLength: 1 } },
            allowHeaders: { type: "array", items: { type: "string", minLength: 1 } },
            exposeHeaders: { type: "array", items: { type: "string", minLength: 1 } },
            maxAge: duration,
            allowCredentials: { type: "boolean" },
        },
        required: ["allowOrigins"],
    },
};

const tcpRouteProperties: Properties<TcpRoute> = { name: { type: "string", minLength: 1 }, port: portNumber, destinations };
const tlsRouteProperties: Properties<TlsRoute> = { name: { type: "string", minLength: 1 }, sniHosts: hostList, destinations };

const backendProperties: Properties<BackendPolicy> = {
    subsets: { type: "object", additionalProperties: stringMap },
    connectionPool: {
        type: "object",
        properties: {
            maxConnections: { type: "integer", minimum: 1 },
            connectTimeout: duration,
            http1MaxPendingRequests: { type: "integer", minimum: 1 },
            http2MaxRequests: { type: "integer", minimum: 1 },
            maxRequestsPerConnection: { type: "integer", minimum: 1 },
        },
    },
    outlierDetection: {
        type: "object",
        properties: {
            consecutive5xxErrors: { type: "integer", minimum: 1 },
            interval: duration,
            baseEjectionTime: duration,
            maxEjectionPercent: { type: "integer", minimum: 0, maximum: 100 },
        },
    },
    loadBalancer: enumOf(BalancingAlgorithm),
};

const rateLimitProperties: Properties<RateLimit> = {
    hosts: { type: "array", items: { type: "string", minLength: 1 } },
    requests: { type: "integer", minimum: 1 },
    unit: enumOf(RateLimitUnit),
};

const egressProperties: Properties<EgressRoute> = {
    host: { type: "string", minLength: 1 },
    port: portNumber,
    protocol: enumOf(EgressProtocol),
};

const grpcTranscodingProperties: Properties<GrpcTranscoding> = {
    hosts: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    services: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    descriptor: object<DescriptorSource>({
        file: { type: "string", minLength: 1 },
        configVolume: { type: "string", minLength: 1 },
        key: { type: "string", minLength: 1 },
    }),
    autoMapping: { type: "boolean" },
    convertGrpcStatus: { type: "boolean" },
    ignoreUnknownQueryParameters: { type: "boolean" },
};

const routingProperties: Properties<RoutingSpec> = {
    api: enumOf(RoutingApi),
    istioApiVersion: enumOf(IstioApiVersion),
    gatewayApiVersion: { type: "string", pattern: VERSION_PATTERN },
    gatewayApiChannel: enumOf(GatewayApiChannel),
    namespace: { type: "string", minLength: 1 },
    listeners: { type: "array", items: object(listenerProperties, ["name", "port", "protocol", "hosts"]) },
    http: { type: "array", items: object(httpRouteProperties, ["name", "hosts"]) },
    tcp: { type: "array", items: object(tcpRouteProperties, ["name", "port", "destinations"]) },
    tls: { type: "array", items: object(tlsRouteProperties, ["name", "sniHosts", "destinations"]) },
    backends: { type: "object", additionalProperties: object(backendProperties) },
    rateLimits: { type: "array", items: object(rateLimitProperties, ["requests", "unit"]) },
    egress: { type: "array", items: object(egressProperties, ["host", "protocol"]) },
    grpcTranscoding: { type: "array", items: object(grpcTranscodingProperties, ["hosts", "services", "descriptor"]) },
};

const dnsProperties: Properties<DnsSpec> = {
    zone: { type: "string", minLength: 1 },
    privateZoneId: cloudId,
    hosts: { type: "array", items: { type: "string", minLength: 1 } },
    records: enumOf(DnsRecords),
    loadBalancer: { type: "string", minLength: 1 },
    hostLoadBalancers: { type: "object", additionalProperties: { type: "string", minLength: 1 } },
    ttl: { type: "integer", minimum: 1, maximum: 86400 },
    line: { type: "string", minLength: 1 },
};

// PEM values may be Pulumi secrets (Outputs): a string, or an object the schema does not open.
const secretText: JsonSchema = { type: ["string", "object"], minLength: 1 };

const certificateProperties: Properties<CertificateSpec> = {
    name: { type: "string", minLength: 1, maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" },
    hosts: { type: "array", items: { type: "string", minLength: 1 } },
    pem: object<PemCertificate>({ certificate: secretText, privateKey: secretText }, ["certificate", "privateKey"]),
    certManager: {
        type: "object",
        properties: {
            issuer: { type: "string", minLength: 1 },
            kind: enumOf(IssuerKind),
            duration: { type: "string", pattern: "^\\d+(h|m|s)$" },
            renewBefore: { type: "string", pattern: "^\\d+(h|m|s)$" },
        },
        required: ["issuer"],
    },
    existingSecret: { type: "boolean" },
    clientCaCertificate: secretText,
    uploadToAlibabaCloud: { type: "boolean" },
};

const scopeProperties = {
    hosts: { type: "array", items: { type: "string", minLength: 1 } },
    paths: { type: "array", items: { type: "string", minLength: 1 } },
    skipAuthPreflight: { type: "boolean" },
};

const jwtProperties: Properties<JwtRule> = {
    issuer: { type: "string", minLength: 1 },
    jwksUri: { type: "string", minLength: 1 },
    jwks: { type: "string", minLength: 1 },
    audiences: { type: "array", items: { type: "string", minLength: 1 } },
    ...scopeProperties,
};

const customAuthProperties: Properties<CustomAuthRule> = { provider: { type: "string", minLength: 1 }, ...scopeProperties };

const stringList: JsonSchema = { type: "array", items: { type: "string", minLength: 1 } };

const oidcProperties: Properties<OidcSpec> = {
    issuerUrl: { type: "string", minLength: 1 },
    clientId: { type: "string", minLength: 1 },
    clientSecret: secretText,
    cookieSecret: secretText,
    hosts: stringList,
    paths: stringList,
    allowedGroups: stringList,
    allowedEmails: stringList,
    allowedEmailDomains: stringList,
    provider: { type: "string", minLength: 1, maxLength: 253, pattern: "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$" },
    image: { type: "string", minLength: 1 },
    replicas: { type: "integer", minimum: 1 },
    skipAuthPreflight: { type: "boolean" },
};

const securityProperties: Properties<SecuritySpec> = {
    ipAllow: { type: "array", items: { type: "string", minLength: 1 } },
    ipDeny: { type: "array", items: { type: "string", minLength: 1 } },
    trustedProxies: { type: "integer", minimum: 1, maximum: 10 },
    jwt: { type: "array", items: object(jwtProperties, ["issuer"]) },
    customAuth: { type: "array", items: object(customAuthProperties, ["provider"]) },
    oidc: object(oidcProperties, ["issuerUrl", "clientId", "clientSecret", "cookieSecret", "hosts"]),
};

const accessLogFieldProperties: Properties<AccessLogField> = {
    name: { type: "string", minLength: 1 },
    requestHeader: { type: "string", minLength: 1 },
    responseHeader: { type: "string", minLength: 1 },
    maxLength: { type: "integer", minimum: 1 },
};

const accessLogProperties: Properties<AccessLogSettings> = {
    enabled: { type: "boolean" },
    format: enumOf(AccessLogFormat),
    fields: { type: "array", items: object(accessLogFieldProperties, ["name"]) },
    provider: { type: "string", minLength: 1 },
};

const observabilityProperties: Properties<ObservabilitySpec> = { accessLogs: object(accessLogProperties) };

// Credentials may be Pulumi Outputs, as cloud ids may.
const credential: JsonSchema = { type: ["string", "object"], minLength: 1 };

const clusterProperties: Properties<FleetCluster> = {
    id: { type: "string", minLength: 1 },
    kubeconfig: credential,
    ackClusterId: credential,
    ackCredentialMinutes: { type: "integer", minimum: 15, maximum: 4320 },
    region: { type: "string", pattern: REGION_PATTERN },
};

const controlPlaneProperties: Properties<FleetControlPlane> = {
    kubeconfig: credential,
    serviceMeshId: credential,
};

const gracefulProperties: Properties<GracefulShutdown> = {
    drainSeconds: { type: "integer", minimum: 1 },
    terminationGracePeriodSeconds: { type: "integer", minimum: 1 },
};

const fleetProperties: Properties<GatewayFleetSpec> = {
    name: { type: "string", minLength: 1 },
    mode: enumOf(InstallMode),
    namespace: { type: "string", minLength: 1 },
    clusters: { type: "array", minItems: 1, items: object(clusterProperties, ["id"]) },
    controlPlane: object(controlPlaneProperties),
    gateway: object(gatewayProperties),
    spreadReplicas: { type: "boolean" },
    gracefulShutdown: object(gracefulProperties),
    asmVersion: { type: "string", pattern: "^\\d+\\.\\d+(\\.\\d+)?$" },
    istioVersion: { type: "string", pattern: VERSION_PATTERN },
    revision: { type: "string", minLength: 1 },
    routing: object(routingProperties),
    dns: object(dnsProperties, ["zone"]),
    certificates: { type: "array", items: object(certificateProperties, ["name"]) },
    security: object(securityProperties),
    observability: object(observabilityProperties),
    ingressClass: object<IngressClassSettings>(
        {
            name: { type: "string", maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" },
            default: { type: "boolean" },
        },
        ["name"],
    ),
};

export const FLEET_SCHEMA: JsonSchema = object(fleetProperties, ["name", "mode", "clusters", "gateway"]);

/** The fields that take a Pulumi input (a string, or an Output or Promise of one). */
const INPUT_SCHEMAS: ReadonlySet<JsonSchema> = new Set([cloudId, secretText, credential]);

/**
 * Whether the field at `path` of a fleet (or of the component's arguments) takes a Pulumi input:
 * a kubeconfig, a cloud id or PEM text. Every other field is a plain value.
 */
export function takesInput(path: readonly PathSegment[]): boolean {
    let schema: JsonSchema | undefined = FLEET_SCHEMA;
    for (const segment of path) {
        if (schema === undefined) return false;
        if (typeof segment === "number") {
            schema = schema.items as JsonSchema | undefined;
            continue;
        }
        const key = typeof segment === "string" ? segment : segment.key;
        const properties = schema.properties as Record<string, JsonSchema> | undefined;
        const rest = schema.additionalProperties;
        // A user's key ("constructor") must not find Object.prototype's members.
        schema =
            properties !== undefined && Object.hasOwn(properties, key)
                ? properties[key]
                : typeof rest === "object" && rest !== null
                  ? (rest as JsonSchema)
                  : undefined;
    }
    return schema !== undefined && INPUT_SCHEMAS.has(schema);
}

let compiled: ValidateFunction | undefined;

/** Subschemas of at least this many bytes of JSON become functions of their own (see below). */
const OWN_FUNCTION_BYTES = 1024;
const FLEET_AJV_OPTIONS: Options = { inlineRefs: false };

/**
 * The fleet schema as Ajv compiles it: its big subschemas as functions of their own
 * (`hoistSubschemas`), so the first validation compiles the code of the fields a config has,
 * not all of it (~0.8 MB of generated code in one function before: docs/benchmarks.md,
 * "Start-up cost").
 */
function compiledFleetSchema(): JsonSchema {
    return strictify(hoistSubschemas(boundIntegers(FLEET_SCHEMA) as JsonSchema, OWN_FUNCTION_BYTES)) as JsonSchema;
}

/**
 * Kubernetes keeps replica counts, probe thresholds and seconds in 32-bit integers, and Envoy its
 * counters in 32-bit ones: a fleet integer without a bound of its own gets theirs, so `1e23`
 * replicas is refused here rather than by the API server during `pulumi up`.
 */
const INT32_MAX = 2 ** 31 - 1;

function boundIntegers(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(boundIntegers);
    if (schema === null || typeof schema !== "object") return schema;
    const node = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, boundIntegers(v)]));
    const type = node.type;
    const integer = type === "integer" || (Array.isArray(type) && type.includes("integer"));
    return integer && node.maximum === undefined ? { ...node, maximum: INT32_MAX } : node;
}

/**
 * What the fleet validator is made from; a validator generated ahead of time carries it. Every
 * run computes it, so it hashes the inputs of `compiledFleetSchema`, not its result (the
 * transformation costs more than the hash).
 */
export function fleetSchemaDigest(): string {
    return createHash("sha256")
        .update(JSON.stringify([FLEET_SCHEMA, k8sDefinitions, OWN_FUNCTION_BYTES, FLEET_AJV_OPTIONS, INT32_MAX]))
        .digest("hex");
}

/** Compiles the fleet validator (Ajv compilation is the slow part of a start: see fleetValidator). */
export function compileFleetValidator(options: Options = {}): { ajv: Ajv; validate: ValidateFunction } {
    const ajv = newKubernetesAjv({ ...FLEET_AJV_OPTIONS, ...options });
    ajv.addSchema(strictify(k8sDefinitions) as JsonSchema, "k8s");
    return { ajv, validate: ajv.compile(compiledFleetSchema()) };
}

/**
 * The validator `npm run build` generated as code (scripts/gen-fleet-validator.ts), when it was
 * made from this very schema; compiling it here instead costs every run a noticeable part of its
 * start-up.
 */
function generatedFleetValidator(): ValidateFunction | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the build writes it, a source checkout may lack it
        const generated = require("./fleetValidator.generated") as ValidateFunction & { digest?: string };
        return generated.digest === fleetSchemaDigest() ? generated : undefined;
    } catch {
        return undefined;
    }
}

/** The validator of a fleet spec: generated at build time, else compiled once. */
export function fleetValidator(): ValidateFunction {
    compiled ??= generatedFleetValidator() ?? compileFleetValidator().validate;
    return compiled;
}
