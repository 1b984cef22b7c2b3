// The component's argument types as every Pulumi language sees them. They are the core's types
// (core/spec.ts, core/loadBalancer.ts, core/edge.ts) with cloud ids and PEM text as
// `pulumi.Input<string>`, and the Kubernetes int-or-string fields as strings, so that the schema
// the SDK infers (`pulumi package get-schema`) has a type for every field. Only the properties
// whose type differs are declared again; every other field and its documentation is the core's.
//
// Each interface here is a named, non-generic interface because the SDK's schema inference names
// object types after their interface and does not follow generic instantiations.
import type * as pulumi from "@pulumi/pulumi";
import type { ExecAction, HTTPHeader, SleepAction } from "kubernetes-types/core/v1";
import type * as edge from "../core/edge";
import type * as lb from "../core/loadBalancer";
import type * as oidc from "../core/oidc";
import type * as spec from "../core/spec";

/** A cloud id or PEM text: a string, or an Output of one (a VPC created in the same stack, a secret). */
type Id = pulumi.Input<string>;

/** One zone of an NLB and its vSwitch. */
export interface NlbZone extends lb.NlbZone<Id> {}

/** A CLB access control list (made in the console or by another stack) bound to the gateway's listeners. */
export interface ClbAcl extends lb.ClbAcl<Id> {}

/** A CLB or NLB in front of the gateway Service in one cluster. */
export interface LoadBalancerSettings extends lb.LoadBalancerSettings<Id> {
    /** NLB: 2 to 10 zones of the VPC, each with its vSwitch (looked up when omitted). Immutable. Default: none (required for an NLB). */
    zoneMappings?: NlbZone[];
    /**
     * CLB: an access control list on the gateway's listeners (`acl-status: on`, `acl-id`,
     * `acl-type`). The controller writes it when it manages the listeners: on a created CLB, or
     * a reused one with forceOverrideListeners. Default: none.
     */
    acl?: ClbAcl;
}

/** One more load balancer for the same gateway pods, through a Service of its own. */
export interface AdditionalLoadBalancer extends lb.AdditionalLoadBalancer<Id> {
    /** NLB: 2 to 10 zones of the VPC, each with its vSwitch (looked up when omitted). Immutable. Default: none (required for an NLB). */
    zoneMappings?: NlbZone[];
    /** CLB: an access control list on this load balancer's listeners. Default: none. */
    acl?: ClbAcl;
}

/**
 * An HTTP request a lifecycle hook makes to the `istio-proxy` container (Kubernetes
 * `HTTPGetAction`, with the port as a string).
 */
export interface HTTPGetAction {
    /** Host name to connect to. Default: the pod IP (set a `Host` header in `httpHeaders` instead). */
    host?: string;
    /** Custom headers to set in the request. HTTP allows repeated headers. Default: none. */
    httpHeaders?: HTTPHeader[];
    /** Path to request on the HTTP server. Default `/`. */
    path?: string;
    /**
     * Port on the container: a number, 1–65535, written as a string (`"15021"`), or a named
     * container port (an IANA service name, e.g. `"http-envoy-prom"`). A number string is sent
     * to Kubernetes as an integer.
     */
    port: string;
    /** `HTTP` (default) or `HTTPS`. */
    scheme?: string;
}

/** A TCP connection a lifecycle hook opens (Kubernetes `TCPSocketAction`, port as a string). Deprecated by Kubernetes in lifecycle hooks. */
export interface TCPSocketAction {
    /** Host name to connect to. Default: the pod IP. */
    host?: string;
    /** Port on the container: a number, 1–65535, written as a string, or a named container port. A number string is sent as an integer. */
    port: string;
}

/** One action of a lifecycle hook: exactly one of `exec`, `httpGet`, `sleep` (Kubernetes `LifecycleHandler`). */
export interface LifecycleHandler {
    /** Run a command in the container. */
    exec?: ExecAction;
    /** Make an HTTP GET request to the container. */
    httpGet?: HTTPGetAction;
    /** Sleep for a number of seconds. */
    sleep?: SleepAction;
    /** Open a TCP connection (Kubernetes keeps it for compatibility only; the hook fails at run time). */
    tcpSocket?: TCPSocketAction;
}

/** Hooks of the `istio-proxy` container (Kubernetes `Lifecycle`). */
export interface Lifecycle {
    /** Runs right after the container starts; the container restarts if it fails. Default: none. */
    postStart?: LifecycleHandler;
    /** Runs before the container stops, inside the pod's termination grace period. Default: none. */
    preStop?: LifecycleHandler;
}

/** The fields of a gateway that `overrides[clusterId]` may change. */
export interface GatewayOverride extends spec.GatewayOverride<Id> {
    /**
     * Pods created above the desired count during a rolling update: a number of pods (`"1"`) or a
     * percentage of the desired count (`"25%"`). Default: Kubernetes' `25%`. A number string is
     * sent to Kubernetes as an integer.
     */
    rollingMaxSurge?: string;
    /**
     * Pods that may be unavailable during a rolling update: a number of pods (`"0"`) or a
     * percentage of the desired count, at most `"100%"`. Default: Kubernetes' `25%`. Not `0`
     * together with a zero `rollingMaxSurge`.
     */
    rollingMaxUnavailable?: string;
    /** Lifecycle hooks of the `istio-proxy` container (Kubernetes `Lifecycle`). Default: none. */
    lifecycle?: Lifecycle;
    /**
     * Not an IstioGateway field: the Alibaba Cloud load balancer the component creates or reuses
     * for the gateway Service, bound with cloud controller annotations. Default: none (the
     * cluster's cloud controller makes one for a LoadBalancer Service).
     */
    loadBalancer?: LoadBalancerSettings;
    /** Not an IstioGateway field: more load balancers for the same pods, each with its own Service. Default: none. */
    additionalLoadBalancers?: AdditionalLoadBalancer[];
    /** Not an IstioGateway field (istio mode): the PodDisruptionBudget. Default `minAvailable: "1"`. */
    podDisruptionBudget?: PodDisruptionBudgetSettings;
}

/** The gateway's PodDisruptionBudget: exactly one of the two, each a count or a percentage. */
export interface PodDisruptionBudgetSettings {
    /** Pods that must stay up during a voluntary disruption: a count (`"1"`, 0 or more) or a percentage (`"50%"`). A number string is sent as an integer. */
    minAvailable?: string;
    /** Pods that may be down during a voluntary disruption: a count (`"1"`, 1 or more) or a percentage (`"25%"`). A number string is sent as an integer. */
    maxUnavailable?: string;
}

/**
 * An ASM `IstioGateway` spec. Every field keeps its CRD name, so an existing manifest's `spec`
 * works as it is; `overrides[clusterId]` changes single clusters.
 */
export interface GatewaySpec extends GatewayOverride, spec.GatewayWideFields {
    /** Per-cluster changes, keyed by cluster id. A field given here replaces the base field whole. Default: none. */
    overrides?: Record<string, GatewayOverride>;
}

/** DNS records for the listeners' hosts, pointing at each cluster's gateway address. */
export interface DnsSpec extends edge.DnsSpec<Id> {}

/** A certificate and its private key, PEM. Give Pulumi secrets: both stay secret in state. */
export interface PemCertificate extends edge.PemCertificate<Id> {}

/** A TLS certificate a listener names in `tls.credentialName`. */
export interface CertificateSpec extends edge.CertificateSpec<Id> {
    /** Certificate and key given as PEM (kept secret). Give exactly one of `pem`, `certManager`, `existingSecret`. */
    pem?: PemCertificate;
}

/** Single sign-on through an OpenID Connect issuer; the client and cookie secrets are kept secret (give Pulumi secrets). */
export interface OidcSettings extends oidc.OidcSpec<Id> {}

/** IP lists, JWT, external authorization and single sign-on on the gateway pods. */
export interface SecuritySpec extends edge.SecuritySpec<Id> {
    /**
     * Single sign-on through an OpenID Connect issuer for the given hosts/paths: oauth2-proxy in
     * the gateway's namespace and a CUSTOM policy naming its mesh extension provider. Default: none.
     */
    oidc?: OidcSettings;
}
