// How the component reaches each cluster: one Kubernetes provider per cluster, built from a
// kubeconfig the user gives or one read from Alibaba Cloud. Kubeconfigs are always secrets.
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface ClusterConnection {
    /** Kubeconfig of the cluster. Stored as a secret. */
    kubeconfig?: pulumi.Input<string>;
    /**
     * ACK cluster id to read a temporary kubeconfig from (`cs.getClusterCredential`), used when
     * no kubeconfig is given. Defaults to the cluster's `id`.
     */
    ackClusterId?: pulumi.Input<string>;
    /** Lifetime, in minutes, of a kubeconfig read from ACK (at most 3 days). Default 4320. */
    ackCredentialMinutes?: number;
    /**
     * The Alibaba Cloud region of the cluster, e.g. `cn-hangzhou` (a plain string: it decides
     * which provider creates the cluster's cloud resources). Required when the cluster has a load
     * balancer; for an ACK cluster it is checked against ACK before anything is created there.
     */
    region?: string;
}

export interface ControlPlaneConnection {
    /** Kubeconfig of the ASM control plane. Stored as a secret. Used for the connection when serviceMeshId is given too. */
    kubeconfig?: pulumi.Input<string>;
    /**
     * Id of the ASM instance. Without a kubeconfig, the control plane's kubeconfig is read from
     * it. Required for `security.oidc`, whose extension provider is registered through ASM's API.
     */
    serviceMeshId?: pulumi.Input<string>;
}

/** `clusterIdentifier` of the provider for the ASM control plane; the offline plan maps it to "asm". */
export const CONTROL_PLANE_IDENTIFIER = "asm-control-plane";

/** A cluster's kubeconfig as a secret Output, from the input or from ACK. */
export function clusterKubeconfig(
    id: string,
    connection: ClusterConnection,
    parent: pulumi.Resource,
    provider?: pulumi.ProviderResource,
): pulumi.Output<string> {
    if (connection.kubeconfig !== undefined) return pulumi.secret(connection.kubeconfig);
    const credential = alicloud.cs.getClusterCredentialOutput(
        { clusterId: connection.ackClusterId ?? id, temporaryDurationMinutes: connection.ackCredentialMinutes ?? 4320 },
        { parent, provider },
    );
    return pulumi.secret(credential.kubeConfig);
}

/**
 * The provider for one cluster. `clusterIdentifier` is the cluster id, so a rotated kubeconfig
 * (ACK credentials expire) updates the provider instead of replacing every object in the cluster.
 */
export function clusterProvider(name: string, clusterId: string, kubeconfig: pulumi.Input<string>, parent: pulumi.Resource): k8s.Provider {
    return new k8s.Provider(name, { kubeconfig: pulumi.secret(kubeconfig), clusterIdentifier: clusterId }, { parent });
}

/**
 * The ACK cluster id behind a cluster, when there is one: in asm mode the cluster id is ACK's
 * (ASM's `clusterIds`); in istio mode a cluster without a kubeconfig is read from ACK.
 */
export function ackClusterIdOf(mode: "asm" | "istio", id: string, connection: ClusterConnection): pulumi.Input<string> | undefined {
    if (connection.ackClusterId !== undefined) return connection.ackClusterId;
    return mode === "asm" || connection.kubeconfig === undefined ? id : undefined;
}

/**
 * Resolves to a message when ACK, asked in `region`, has no cluster `ackId`: the region given
 * for the cluster is not where it runs, and its load balancers would be created elsewhere.
 */
export function checkClusterRegion(
    path: string,
    ackId: pulumi.Input<string>,
    region: string,
    provider: pulumi.ProviderResource,
    parent: pulumi.Resource,
): pulumi.Output<string | undefined> {
    const found = alicloud.cs.getClustersOutput({ ids: [ackId] }, { parent, provider });
    return pulumi.all([found.clusters, ackId]).apply(([clusters, id]) => {
        const match = (clusters ?? []).find((c) => c.clusterId === id || c.id === id);
        if (match === undefined) return `${path}: ACK has no cluster ${id} in region ${region}; give the region the cluster runs in`;
        if (match.regionId !== undefined && match.regionId !== "" && match.regionId !== region)
            return `${path}: ACK reports cluster ${id} in region ${match.regionId}, not ${region}`;
        return undefined;
    });
}

/** The ASM control plane's kubeconfig, given or read from the ASM instance. */
export function controlPlaneKubeconfig(name: string, connection: ControlPlaneConnection, parent: pulumi.Resource): pulumi.Output<string> {
    if (connection.kubeconfig !== undefined) return pulumi.secret(connection.kubeconfig);
    if (connection.serviceMeshId === undefined) throw new Error("controlPlane needs kubeconfig or serviceMeshId");
    const mesh = alicloud.servicemesh.ServiceMesh.get(name, connection.serviceMeshId, undefined, { parent });
    return pulumi.secret(mesh.kubeconfig);
}
