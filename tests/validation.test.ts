// Bad input is refused before anything is created, with the field path and the rule.
import { expect } from "chai";
import { MeshGateway, type MeshGatewayArgs } from "../components/meshGateway";
import { ConfigError } from "../core/errors";
import type { GatewayFleetSpec } from "../core/fleet";
import { planFleet } from "../core/plan";
import { runInProcess } from "../offline/engine";

const base = (): GatewayFleetSpec => ({
    name: "edge",
    mode: "istio",
    clusters: [{ id: "c1", region: "cn-hangzhou" }, { id: "c2", region: "cn-hangzhou" }],
    gateway: {},
});
const asm = (): GatewayFleetSpec => ({ ...base(), mode: "asm", controlPlane: { kubeconfig: "kc" } });

type Case = [title: string, fleet: () => unknown, expected: string];

const cases: Case[] = [
    ["an override for a cluster not in clusters", () => ({ ...base(), gateway: { overrides: { c3: { replicaCount: 2 } } } }), 'gateway.overrides["c3"]: cluster c3 is not in clusters (c1, c2)'],
    ["an ASM gateway outside istio-system", () => ({ ...asm(), namespace: "gateways" }), "namespace: ASM gateways must be in istio-system"],
    ["an override field ASM does not honour", () => ({ ...asm(), gateway: { overrides: { c1: { podLabels: { a: "b" } } } } }), 'gateway.overrides["c1"].podLabels: ASM does not apply podLabels per cluster'],
    ["an HPA override on an ASM older than 1.16", () => ({ ...asm(), asmVersion: "1.15", gateway: { overrides: { c1: { maxReplicas: 3 } } } }), 'gateway.overrides["c1"].maxReplicas: ASM 1.15 ignores maxReplicas in overrides; it needs ASM 1.16 or later'],
    ["a CPU target above 100", () => ({ ...base(), gateway: { maxReplicas: 3, cpu: { targetAverageUtilization: 120 } } }), "gateway.cpu.targetAverageUtilization: must be <= 100"],
    ["a memory target of 0", () => ({ ...base(), gateway: { maxReplicas: 3, memory: { targetAverageUtilization: 0 } } }), "gateway.memory.targetAverageUtilization: must be >= 1"],
    ["minReplicas above maxReplicas", () => ({ ...base(), gateway: { minReplicas: 5, maxReplicas: 2 } }), "gateway.minReplicas: 5 is greater than maxReplicas (2)"],
    ["minReplicas above maxReplicas in one cluster only", () => ({ ...base(), gateway: { minReplicas: 2, maxReplicas: 4, overrides: { c2: { maxReplicas: 1 } } } }), 'gateway.overrides["c2"].minReplicas: 2 is greater than maxReplicas (1)'],
    ["autoscaleEnabled without maxReplicas", () => ({ ...base(), gateway: { autoscaleEnabled: true } }), "gateway.maxReplicas: is required when autoscaleEnabled is true"],
    ["gzip memory_level out of range", () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { memory_level: 10 } } } }), "gateway.compression.gzip.memory_level: must be <= 9"],
    ["gzip window_bits out of range", () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { window_bits: 8 } } } }), "gateway.compression.gzip.window_bits: must be >= 9"],
    ["gzip chunk_size out of range", () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { chunk_size: 100 } } } }), "gateway.compression.gzip.chunk_size: must be >= 4096"],
    ["an unknown compression level", () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { compression_level: "LEVEL_5" } } } }), 'gateway.compression.gzip.compression_level: must be one of "BEST_SPEED"'],
    ["an unknown compression strategy", () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { compression_strategy: "FAST" } } } }), 'gateway.compression.gzip.compression_strategy: must be one of "DEFAULT_STRATEGY"'],
    ["compression without gzip", () => ({ ...base(), gateway: { compression: { enabled: true } } }), "gateway.compression.gzip: is required to enable compression"],
    ["compression on an egress gateway", () => ({ ...base(), gateway: { gatewayType: "egress", compression: { enabled: true, gzip: {} } } }), "gateway.compression.enabled: compression applies to ingress gateways only"],
    ["a kernel parameter value that is not a string", () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "net.core.somaxconn": 1024 } } } }), 'gateway.kernel.parameters["net.core.somaxconn"]: kernel parameter values must be strings'],
    ["a node-level kernel parameter", () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "vm.swappiness": "10" } } } }), 'gateway.kernel.parameters["vm.swappiness"]: vm.swappiness cannot be set per pod: it is not namespaced'],
    ["a removed kernel parameter", () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "net.ipv4.tcp_tw_recycle": "1" } } } }), 'gateway.kernel.parameters["net.ipv4.tcp_tw_recycle"]: net.ipv4.tcp_tw_recycle cannot be set per pod: Linux 4.12 removed it'],
    ["hostNetwork with net.* sysctls", () => ({ ...base(), gateway: { hostNetwork: true, runAsRoot: true, kernel: { enabled: true, parameters: { "net.core.somaxconn": "1024" } } } }), 'gateway.kernel.parameters["net.core.somaxconn"]: net.* sysctls cannot be set with hostNetwork: true'],
    ["hostNetwork switched on in one cluster that has net.* sysctls", () => ({ ...base(), gateway: { runAsRoot: true, kernel: { enabled: true, parameters: { "net.core.somaxconn": "1024" } }, overrides: { c1: { hostNetwork: true } } } }), 'gateway.overrides["c1"].kernel.parameters["net.core.somaxconn"]: net.* sysctls cannot be set with hostNetwork: true'],
    ["duplicate port names", () => ({ ...base(), gateway: { ports: [{ name: "http", port: 80 }, { name: "http", port: 8080 }] } }), 'gateway.ports[1].name: duplicate port name "http" (also ports[0])'],
    ["duplicate port numbers", () => ({ ...base(), gateway: { ports: [{ name: "http", port: 80 }, { name: "http-alt", port: 80 }] } }), "gateway.ports[1].port: duplicate port 80 (also ports[0])"],
    ["a port out of range", () => ({ ...base(), gateway: { ports: [{ name: "http", port: 70000 }] } }), "gateway.ports[0].port: must be <= 65535"],
    ["a port targeting the proxy's own port", () => ({ ...base(), gateway: { ports: [{ name: "metrics", port: 9090, targetPort: 15090 }] } }), "gateway.ports[0].targetPort: 15090 belongs to the injected Envoy proxy"],
    ["a typo in a gateway field", () => ({ ...base(), gateway: { replicaCont: 2 } }), "gateway.replicaCont: unknown field (did you mean replicaCount?)"],
    ["a typo inside an override", () => ({ ...base(), gateway: { overrides: { c1: { resorces: {} } } } }), 'gateway.overrides["c1"].resorces: unknown field (did you mean resources?)'],
    ["a typo inside a Kubernetes field (affinity)", () => ({ ...base(), gateway: { affinity: { nodeAffinty: {} } } }), "gateway.affinity.nodeAffinty: unknown field (did you mean nodeAffinity?)"],
    ["a toleration with a text timeout", () => ({ ...base(), gateway: { tolerations: [{ key: "a", operator: "Exists", tolerationSeconds: "60" }] } }), "gateway.tolerations[0].tolerationSeconds: must be integer"],
    ["gatewayType in an override", () => ({ ...base(), gateway: { overrides: { c1: { gatewayType: "egress" } } } }), 'gateway.overrides["c1"].gatewayType: unknown field'],
    ["an unknown install mode", () => ({ ...base(), mode: "helm" }), 'mode: must be one of "asm", "istio"'],
    ["no clusters", () => ({ ...base(), clusters: [] }), "clusters: must NOT have fewer than 1 items"],
    ["the same cluster twice", () => ({ ...base(), clusters: [{ id: "c1" }, { id: "c1" }] }), 'clusters[1].id: cluster "c1" is listed twice'],
    ["clusterIds that disagree with clusters", () => ({ ...base(), gateway: { clusterIds: ["c1", "c9"] } }), "gateway.clusterIds: must name the same clusters as clusters (c1, c2); got c1, c9"],
    ["an invalid gateway name", () => ({ ...base(), name: "Edge_GW" }), 'name: "Edge_GW" is not a valid gateway name'],
    ["asm mode without a control plane", () => ({ ...base(), mode: "asm" }), "controlPlane: asm mode needs the mesh control plane"],
    ["externalTrafficPolicy on a ClusterIP Service", () => ({ ...base(), gateway: { serviceType: "ClusterIP", externalTrafficPolicy: "Local" } }), "gateway.externalTrafficPolicy: applies only to LoadBalancer and NodePort Services; serviceType is ClusterIP"],
    ["loadBalancerClass on a NodePort Service in one cluster", () => ({ ...base(), gateway: { loadBalancerClass: "alibabacloud.com/nlb", overrides: { c2: { serviceType: "NodePort" } } } }), 'gateway.overrides["c2"].loadBalancerClass: applies only when serviceType is LoadBalancer; it is NodePort'],
    ["rollingMaxSurge that is neither a count nor a percentage", () => ({ ...base(), gateway: { rollingMaxSurge: "lots" } }), 'gateway.rollingMaxSurge: "lots" must be a number of pods or a percentage such as "25%"'],
    ["a rollout that can never progress", () => ({ ...base(), gateway: { rollingMaxSurge: 0, rollingMaxUnavailable: "0%" } }), "gateway.rollingMaxUnavailable: rollingMaxSurge and rollingMaxUnavailable cannot both be 0"],
    ["two volumes with one name", () => ({ ...base(), gateway: { configVolumes: [{ name: "v", configMapName: "a", mountPath: "/a" }], secretVolumes: [{ name: "v", secretName: "s", mountPath: "/b" }] } }), "gateway.secretVolumes[0].name: volume name v is also used by configVolumes[0]"],
    ["a relative mount path", () => ({ ...base(), gateway: { configVolumes: [{ name: "v", configMapName: "a", mountPath: "etc/lua" }] } }), 'gateway.configVolumes[0].mountPath: "etc/lua" must be an absolute path'],
    ["a volume missing its ConfigMap", () => ({ ...base(), gateway: { configVolumes: [{ name: "v", mountPath: "/a" }] } }), "gateway.configVolumes[0]: must have required property 'configMapName'"],
    ["pod labels that would break the Service selector", () => ({ ...base(), gateway: { podLabels: { app: "mine" } } }), 'gateway.podLabels["app"]: the gateway\'s Service selects its pods by the app label'],
    ["an invalid label key", () => ({ ...base(), gateway: { serviceLabels: { "bad key": "x" } } }), 'gateway.serviceLabels["bad key"]: "bad key" is not a valid label key'],
    ["low ports on the host network without root", () => ({ ...base(), gateway: { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } }), "gateway.hostNetwork: target ports below 1024 (80, 443) need runAsRoot: true with hostNetwork"],
    ["a drain longer than the grace period", () => ({ ...base(), gracefulShutdown: { drainSeconds: 60, terminationGracePeriodSeconds: 30 } }), "gracefulShutdown.drainSeconds: 60s is longer than terminationGracePeriodSeconds (30s)"],
    ["a drain longer than ASM's fixed grace period", () => ({ ...asm(), gracefulShutdown: { drainSeconds: 45 } }), "gracefulShutdown.drainSeconds: must be at most 30s, the grace period of ASM gateway pods"],
    ["duplicate environment variables", () => ({ ...base(), gateway: { env: [{ name: "A", value: "1" }, { name: "A", value: "2" }] } }), "gateway.env[1].name: duplicate environment variable A"],
    ["an invalid resource quantity type", () => ({ ...base(), gateway: { resources: { limits: { cpu: true } } } }), 'gateway.resources.limits["cpu"]: must be string'],
    ["an invalid namespace", () => ({ ...base(), namespace: "Gateways!" }), 'namespace: "Gateways!" is not a valid namespace name (a DNS label)'],
    ["an invalid cluster id", () => ({ ...base(), clusters: [{ id: "c 1" }] }), 'clusters[0].id: "c 1" is not a valid cluster id'],
    ["a cluster with both a kubeconfig and an ACK id", () => ({ ...base(), clusters: [{ id: "c1", kubeconfig: "k", ackClusterId: "c1" }] }), "clusters[0]: give either kubeconfig or ackClusterId, not both"],
    ["a control plane given twice", () => ({ ...asm(), controlPlane: { kubeconfig: "k", serviceMeshId: "m" } }), "controlPlane: give either kubeconfig or serviceMeshId, not both"],
    ["a grace period in asm mode", () => ({ ...asm(), gracefulShutdown: { terminationGracePeriodSeconds: 60 } }), "gracefulShutdown.terminationGracePeriodSeconds: ASM fixes the gateway pod's grace period at 30s"],
    ["a revision in asm mode", () => ({ ...asm(), revision: "canary" }), "revision: ASM chooses the gateway's revision"],
    ["an invalid revision", () => ({ ...base(), revision: "1-22_x" }), 'revision: "1-22_x" is not a valid revision name'],
    ["a node port on a ClusterIP Service", () => ({ ...base(), gateway: { serviceType: "ClusterIP", ports: [{ name: "http", port: 80, nodePort: 30080 }] } }), "gateway.ports[0].nodePort: a ClusterIP Service has no node ports"],
    ["rollingMaxUnavailable above 100%", () => ({ ...base(), gateway: { rollingMaxUnavailable: "150%" } }), "gateway.rollingMaxUnavailable: cannot exceed 100%"],
    ["autoscaling switched off with HPA fields set", () => ({ ...base(), gateway: { autoscaleEnabled: false, maxReplicas: 4 } }), "gateway.autoscaleEnabled: is false while HPA fields (cpu, memory, maxReplicas) are set"],
    ["minReplicas without autoscaling", () => ({ ...base(), gateway: { minReplicas: 2 } }), "gateway.minReplicas: has no effect without autoscaling"],
    ["an env var with both value and valueFrom", () => ({ ...base(), gateway: { env: [{ name: "A", value: "1", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] } }), "gateway.env[0]: give either value or valueFrom, not both"],
    ["an invalid label value", () => ({ ...base(), gateway: { podLabels: { team: "a b" } } }), 'gateway.podLabels["team"]: "a b" is not a valid label value'],
    ["an invalid annotation key", () => ({ ...base(), gateway: { serviceAnnotations: { "Example.com/x": "1" } } }), 'gateway.serviceAnnotations["Example.com/x"]: "Example.com/x" is not a valid annotation key'],
    ["an empty kernel parameter", () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "net.core.somaxconn": " " } } } }), 'gateway.kernel.parameters["net.core.somaxconn"]: value is empty'],
    ["a kernel parameter that is not namespaced", () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "fs.file-max": "100000" } } } }), 'gateway.kernel.parameters["fs.file-max"]: fs.file-max cannot be set per pod: only namespaced sysctls'],
    ["a gateway name too long for its workload", () => ({ ...base(), name: "a".repeat(60) }), `name: too long: the workload name istio-${"a".repeat(60)} must fit in 63 characters`],
    ["an asmVersion that is not a version", () => ({ ...asm(), asmVersion: "latest" }), 'asmVersion: must match pattern'],
    // Load balancers
    ["an NLB with one zone", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "vpc-1", zoneMappings: [{ zoneId: "cn-hangzhou-h" }] } } }), "gateway.loadBalancer.zoneMappings: an NLB needs at least two zones (got 1)"],
    ["an NLB without a VPC", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }] } } }), "gateway.loadBalancer.vpcId: is required to create an NLB"],
    ["an NLB zone listed twice", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "a" }] } } }), "gateway.loadBalancer.zoneMappings[1].zoneId: zone a is listed twice"],
    ["IPv6 on an intranet CLB", () => ({ ...base(), gateway: { loadBalancer: { addressType: "intranet", ipVersion: "ipv6", vswitchId: "vsw-1" } } }), "gateway.loadBalancer.ipVersion: an intranet CLB cannot be IPv6"],
    ["dual-stack on a CLB", () => ({ ...base(), gateway: { loadBalancer: { ipVersion: "dualstack" } } }), "gateway.loadBalancer.ipVersion: dualstack is an NLB option"],
    ["a CLB specification (pay-by-specification CLBs are no longer sold)", () => ({ ...base(), gateway: { loadBalancer: { spec: "slb.s2.small" } } }), "gateway.loadBalancer.spec: pay-as-you-go CLBs are sold pay-by-CLCU only"],
    ["an unknown CLB spec", () => ({ ...base(), gateway: { loadBalancer: { spec: "slb.s9.huge" } } }), 'gateway.loadBalancer.spec: pay-as-you-go CLBs are sold pay-by-CLCU only (no specification; pay-by-specification CLBs are no longer sold since 2025-06-01): remove spec ("slb.s9.huge" is not a CLB specification either)'],
    ["an intranet CLB without a vSwitch", () => ({ ...base(), gateway: { loadBalancer: { addressType: "intranet" } } }), "gateway.loadBalancer.vswitchId: is required to create an intranet CLB"],
    ["bandwidth without pay-by-bandwidth", () => ({ ...base(), gateway: { loadBalancer: { bandwidth: 100 } } }), "gateway.loadBalancer.bandwidth: applies only with internetChargeType PayByBandwidth"],
    ["an NLB field on a CLB", () => ({ ...base(), gateway: { loadBalancer: { zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }] } } }), "gateway.loadBalancer.zoneMappings: applies only to NLB (type: NLB)"],
    ["one reused load balancer for two clusters", () => ({ ...base(), gateway: { loadBalancer: { existingId: "lb-1" } } }), "gateway.loadBalancer.existingId: load balancer lb-1 is already used by cluster c1"],
    ["two Services on one load balancer with the same frontend port", () => ({ ...base(), clusters: [{ id: "c1" }], gateway: { loadBalancer: { existingId: "lb-1" }, additionalLoadBalancers: [{ name: "more", existingId: "lb-1", ports: ["http2"] }] } }), 'gateway.additionalLoadBalancers[0].existingId: cluster c1: load balancer lb-1 already serves TCP:80 for the default Service'],
    ["creation settings on a reused load balancer", () => ({ ...base(), clusters: [{ id: "c1" }], gateway: { loadBalancer: { existingId: "lb-1", spec: "slb.s2.small" } } }), "gateway.loadBalancer.spec: describes a load balancer the component creates"],
    ["forceOverrideListeners on a created load balancer", () => ({ ...base(), gateway: { loadBalancer: { forceOverrideListeners: true } } }), "gateway.loadBalancer.forceOverrideListeners: applies only with existingId"],
    ["a load balancer on a ClusterIP Service", () => ({ ...base(), gateway: { loadBalancer: {}, overrides: { c2: { serviceType: "ClusterIP" } } } }), 'gateway.loadBalancer: cluster c2: a load balancer is configured but serviceType is ClusterIP'],
    ["a drain timeout longer than the gateway drains", () => ({ ...base(), gateway: { loadBalancer: { connectionDrainSeconds: 60 } } }), "gateway.loadBalancer.connectionDrainSeconds: 60s is longer than the gateway's drain time (30s)"],
    ["a CLB drain timeout below its minimum", () => ({ ...base(), gateway: { loadBalancer: { connectionDrainSeconds: 5 } } }), "gateway.loadBalancer.connectionDrainSeconds: must be 10–900 seconds for a CLB"],
    ["binding annotations given twice", () => ({ ...base(), gateway: { loadBalancer: {}, serviceAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": "lb-x" } } }), "gateway.loadBalancer: cluster c1: serviceAnnotations already bind the Service"],
    ["NLB in one ASM cluster and CLB in another (named at the override the user edited)", () => ({ ...asm(), gateway: { loadBalancer: {}, overrides: { c2: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }] } } } } }), 'gateway.overrides["c2"].loadBalancer.type: in asm mode every cluster\'s gateway Service gets the same loadBalancerClass'],
    ["an additional load balancer on an unknown port", () => ({ ...base(), gateway: { additionalLoadBalancers: [{ name: "internal", ports: ["grpc"] }] } }), 'gateway.additionalLoadBalancers[0].ports[0]: "grpc" is not one of the gateway\'s ports'],
    ["an additional load balancer in asm mode without cluster credentials", () => ({ ...asm(), gateway: { additionalLoadBalancers: [{ name: "internal" }] } }), "gateway.additionalLoadBalancers[0]: cluster c1: in asm mode an additional load balancer's Service is created in the cluster itself"],
    ["ecs backends without a node port for the status port", () => ({ ...base(), gateway: { loadBalancer: { backendType: "ecs" } } }), "gateway.loadBalancer.backendType: with ecs backends the health check reaches the status port through its node port"],
    ["a misspelt load balancer field", () => ({ ...base(), gateway: { loadBalancer: { adressType: "internet" } } }), "gateway.loadBalancer.adressType: unknown field (did you mean addressType?)"],
    // Alibaba Cloud regions, billing, reuse and DNS targets (issue 13)
    ["a load balancer in a cluster without a region", () => ({ ...base(), clusters: [{ id: "c1" }], gateway: { loadBalancer: {} } }), "clusters[0].region: is required: cluster c1 has a load balancer (gateway.loadBalancer), which is created and looked up in the cluster's region"],
    ["a region that is not a region id", () => ({ ...base(), clusters: [{ id: "c1", region: "Hangzhou" }] }), "clusters[0].region: must match pattern"],
    ["an NLB zone outside the cluster's region", () => ({ ...base(), clusters: [{ id: "c1", region: "cn-beijing" }], gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }] } } }), "gateway.loadBalancer.zoneMappings[0].zoneId: zone cn-hangzhou-h is in region cn-hangzhou, not in the cluster's region cn-beijing"],
    ["NLB zones from two regions", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-shanghai-l" }] } } }), "gateway.loadBalancer.zoneMappings[1].zoneId: zone cn-shanghai-l is in region cn-shanghai, not in the cluster's region cn-hangzhou"],
    ["a CLB zone outside the cluster's region, in one cluster's override", () => ({ ...base(), gateway: { loadBalancer: {}, overrides: { c2: { loadBalancer: { masterZoneId: "ap-southeast-1a" } } } } }), 'gateway.overrides["c2"].loadBalancer.masterZoneId: zone ap-southeast-1a is in region ap-southeast-1, not in the cluster\'s region cn-hangzhou'],
    ["PayBySpec billing", () => ({ ...base(), gateway: { loadBalancer: { instanceChargeType: "PayBySpec" } } }), "gateway.loadBalancer.instanceChargeType: PayBySpec CLBs are no longer sold"],
    ["PayByBandwidth on an internet CLB (pay-by-CLCU has no bandwidth billing)", () => ({ ...base(), gateway: { loadBalancer: { internetChargeType: "PayByBandwidth" } } }), "gateway.loadBalancer.internetChargeType: a pay-by-CLCU CLB is billed by data transfer (PayByTraffic) only"],
    ["an NLB drain timeout below 10 s", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }], connectionDrainSeconds: 5 } } }), "gateway.loadBalancer.connectionDrainSeconds: must be 10–900 seconds for a NLB"],
    ["a reused NLB id without type NLB", () => ({ ...base(), clusters: [{ id: "c1", region: "cn-hangzhou" }], gateway: { loadBalancer: { existingId: "nlb-wwhlsx1uj5hlmj9xxx" } } }), "gateway.loadBalancer.existingId: nlb-wwhlsx1uj5hlmj9xxx is the id of an NLB, but type is CLB"],
    ["a reused CLB id with type NLB", () => ({ ...base(), clusters: [{ id: "c1", region: "cn-hangzhou" }], gateway: { loadBalancer: { type: "NLB", existingId: "lb-bp1xxx" } } }), "gateway.loadBalancer.existingId: lb-bp1xxx is the id of an CLB, but type is NLB"],
    ["zones looked up for a dual-stack NLB", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", ipVersion: "dualstack", vpcId: "v", zoneMappings: [{ zoneId: "cn-hangzhou-h" }, { zoneId: "cn-hangzhou-j" }] } } }), "gateway.loadBalancer.zoneMappings[0].vswitchId: a dual-stack NLB needs an IPv6-enabled vSwitch in each zone"],
    ["vServer groups on a created CLB", () => ({ ...base(), gateway: { loadBalancer: { vServerGroups: [{ port: 80, id: "rsp-1" }] } } }), "gateway.loadBalancer.vServerGroups: applies to a reused CLB (existingId)"],
    ["a vServer group for a port the Service lacks", () => ({ ...base(), clusters: [{ id: "c1", region: "cn-hangzhou" }], gateway: { loadBalancer: { existingId: "lb-1", vServerGroups: [{ port: 8080, id: "rsp-1" }] } } }), "gateway.loadBalancer.vServerGroups[0].port: 8080 is not a port of this load balancer's Service"],
    ["vServer groups on an NLB", () => ({ ...base(), clusters: [{ id: "c1", region: "cn-hangzhou" }], gateway: { loadBalancer: { type: "NLB", existingId: "nlb-1", vServerGroups: [{ port: 80, id: "rsp-1" }] } } }), "gateway.loadBalancer.vServerGroups: applies only to CLB"],
    ["an ACL on a reused CLB whose listeners the controller leaves alone", () => ({ ...base(), clusters: [{ id: "c1", region: "cn-hangzhou" }], gateway: { loadBalancer: { existingId: "lb-1", acl: { id: "acl-1", type: "white" } } } }), "gateway.loadBalancer.acl: the controller sets ACLs only on listeners it manages"],
    ["an ACL type that is not white or black", () => ({ ...base(), gateway: { loadBalancer: { acl: { id: "acl-1", type: "allow" } } } }), 'gateway.loadBalancer.acl.type: must be one of "white", "black"'],
    ["client address preservation on a CLB", () => ({ ...base(), gateway: { loadBalancer: { preserveClientIp: false } } }), "gateway.loadBalancer.preserveClientIp: applies only to NLB (type: NLB)"],
    ["DNS following a load balancer a cluster lacks", () => ({ ...base(), gateway: { loadBalancer: {}, overrides: { c1: { additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "v" }] } } }, routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, dns: { zone: "example.com", privateZoneId: "pz", loadBalancer: "internal" } }), "dns.loadBalancer: cluster c2 has no additional load balancer named internal to point DNS at"],
    ["an ACL both in serviceAnnotations and loadBalancer.acl", () => ({ ...base(), gateway: { serviceAnnotations: { "service.beta.kubernetes.io/alicloud-loadbalancer-acl-id": "acl-1" }, loadBalancer: { acl: { id: "acl-2", type: "white" } } } }), "gateway.loadBalancer: cluster c1: serviceAnnotations already bind the Service (service.beta.kubernetes.io/alicloud-loadbalancer-acl-id)"],
    ["DNS per host for a name not published", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, dns: { zone: "example.com", hostLoadBalancers: { "b.example.com": "default" } } }), 'dns.hostLoadBalancers["b.example.com"]: b.example.com is not a published name (a.example.com)'],
    // Routing
    ["a route for a host no listener serves (the classic 404)", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["b.example.com"], destinations: [{ host: "svc" }] }] } }), "routing.http[0].hosts[0]: no HTTP or HTTPS listener serves b.example.com: requests for it would get 404"],
    ["weights that do not sum to 100", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "v1", weight: 90 }, { host: "v2", weight: 20 }] }] } }), "routing.http[0].destinations: weights sum to 110; they must sum to 100"],
    ["several destinations without weights", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "v1" }, { host: "v2" }] }] } }), "routing.http[0].destinations: give every destination a weight when there is more than one"],
    ["an invalid regex", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], match: [{ path: { regex: "/items/([0-9]+" } }], destinations: [{ host: "v1" }] }] } }), 'routing.http[0].match[0].path.regex: "/items/([0-9]+" is not a valid regular expression'],
    ["a regex RE2 refuses", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], match: [{ path: { regex: "^/(?!admin)" } }], destinations: [{ host: "v1" }] }] } }), 'routing.http[0].match[0].path.regex: "^/(?!admin)" uses lookaround or backreferences'],
    ["one port and host with two TLS settings", () => ({ ...base(), routing: { listeners: [{ name: "a", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "a" } }, { name: "b", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "MUTUAL", credentialName: "b" } }] } }), "routing.listeners[1].hosts[0]: port 443 and host a.example.com are also served by listeners[0] with different TLS settings"],
    ["a passthrough route on a listener that terminates TLS", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "a" } }], tls: [{ name: "p", sniHosts: ["a.example.com"], destinations: [{ host: "svc", port: 443 }] }] } }), "routing.tls[0].sniHosts[0]: a.example.com is served by a listener that does not pass TLS through"],
    ["a mirror to the route's own destination", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }], mirror: { destination: { host: "svc" } } }] } }), "routing.http[0].mirror.destination: mirrors to svc, which the route already sends to"],
    ["a listener on a port the gateway does not expose", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 8080, protocol: "HTTP", hosts: ["*"] }] } }), "routing.listeners[0].port: 8080 is not a port of the gateway Service (15021, 80, 443); add it to gateway.ports"],
    ["a TLS-terminating listener without a certificate", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE" } }] } }), "routing.listeners[0].tls.credentialName: is required to terminate TLS"],
    ["retries with Gateway API", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc", port: 80 }], retries: { attempts: 3 } }] } }), "routing.http[0].retries: Gateway API (standard channel) has no retries; use api: istio"],
    ["a subset with Gateway API", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc", port: 80, subset: "v2" }] }] } }), "routing.http[0].destinations[0].subset: Gateway API routes to Services, not subsets"],
    ["a TCP route without a TCP listener", () => ({ ...base(), routing: { tcp: [{ name: "t", port: 31400, destinations: [{ host: "svc" }] }] } }), "routing.tcp[0].port: no TCP listener (or TLS listener that terminates) on port 31400"],
    ["a route that neither forwards nor redirects", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"] }] } }), "routing.http[0]: needs destinations or a redirect"],
    ["a duration without a unit", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }], timeout: "10" }] } }), 'routing.http[0].timeout: "10" is not a duration'],
    ["egress routes on an ingress gateway", () => ({ ...base(), routing: { egress: [{ host: "api.partner.com", protocol: "TLS" }] } }), "routing.egress[0]: egress routes need an egress gateway"],
    // Found in review
    ["HTTP routes on a TLS listener (they never match there)", () => ({ ...base(), routing: { listeners: [{ name: "tls", port: 443, protocol: "TLS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }] }] }, certificates: [{ name: "c", existingSecret: true }] }), "routing.http[0].hosts[0]: a.example.com is served only by TLS/TCP listeners, where HTTP routes never match"],
    ["a route only on a redirecting listener", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"], httpsRedirect: true }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc" }] }] } }), "routing.http[0].hosts[0]: a.example.com is served only by listeners that redirect to HTTPS"],
    ["MUTUAL TLS with Gateway API", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "MUTUAL", credentialName: "c" } }] }, certificates: [{ name: "c", existingSecret: true }] }), "routing.listeners[0].tls.mode: MUTUAL is not rendered for Gateway API"],
    ["a host name as a Gateway API backend", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc.other.svc.cluster.local", port: 80 }] }] } }), "routing.http[0].destinations[0].host: Gateway API routes to a Service by name"],
    ["a fractional duration with Gateway API", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "svc", port: 80 }], timeout: "1.5s" }] } }), 'routing.http[0].timeout: "1.5s": Gateway API durations are whole numbers'],
    ["a listener port one cluster's override removes", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } }] }, certificates: [{ name: "c", existingSecret: true }], gateway: { overrides: { c2: { ports: [{ name: "http2", port: 80 }] } } } }), 'routing.listeners[0].port: cluster c2\'s gateway Service has no port 443'],
    ["a wildcard host in a JWT rule", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.example.com"] }] }, security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["*.example.com"] }] } }), 'security.jwt[0].hosts[0]: "*.example.com": policy hosts must be exact'],
    ["two external authorization providers", () => ({ ...base(), security: { customAuth: [{ provider: "a" }, { provider: "b" }] } }), "security.customAuth: Istio allows one external authorization provider per workload"],
    ["IP lists when the load balancer terminates TLS", () => ({ ...base(), gateway: { externalTrafficPolicy: "Local", loadBalancer: { backendType: "eni", tls: { certificate: "c", ports: [443] } } }, security: { ipAllow: ["10.0.0.0/8"] } }), "security.ipAllow: the gateway does not see client addresses"],
    ["DNS in asm mode without a managed load balancer", () => ({ ...asm(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, dns: { zone: "example.com" } }), "dns: in asm mode DNS points at the load balancer the component manages: cluster c1 needs gateway.loadBalancer"],
    // Remaining rules, one case each
    ["a PayByBandwidth intranet CLB", () => ({ ...base(), gateway: { loadBalancer: { addressType: "intranet", vswitchId: "v", internetChargeType: "PayByBandwidth" } } }), "gateway.loadBalancer.internetChargeType: a pay-by-CLCU CLB is billed by data transfer (PayByTraffic) only"],
    ["a vSwitch on an internet CLB", () => ({ ...base(), gateway: { loadBalancer: { vswitchId: "v" } } }), "gateway.loadBalancer.vswitchId: applies only to intranet CLBs"],
    ["more than 10 tags on a CLB", () => ({ ...base(), gateway: { loadBalancer: { tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`t${i}`, "v"])) } } }), "gateway.loadBalancer.tags: a CLB takes at most 10 tags"],
    ["a CLB field on an NLB", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }], spec: "slb.s2.small" } } }), "gateway.loadBalancer.spec: applies only to CLB"],
    ["IPv6 on an NLB", () => ({ ...base(), gateway: { loadBalancer: { type: "NLB", vpcId: "v", zoneMappings: [{ zoneId: "a" }, { zoneId: "b" }], ipVersion: "ipv6" } } }), "gateway.loadBalancer.ipVersion: an NLB is ipv4 or dualstack"],
    ["an unknown scheduler", () => ({ ...base(), gateway: { loadBalancer: { scheduler: "sch" } } }), 'gateway.loadBalancer.scheduler: "sch" is not a CLB scheduler'],
    ["an additional load balancer named default", () => ({ ...base(), gateway: { additionalLoadBalancers: [{ name: "default" }] } }), 'gateway.additionalLoadBalancers[0].name: "default" is used twice (or is the reserved name "default")'],
    ["an additional load balancer name that is not a DNS label", () => ({ ...base(), gateway: { additionalLoadBalancers: [{ name: "Internal_LB" }] } }), 'gateway.additionalLoadBalancers[0].name: "Internal_LB" must be a DNS label'],
    ["a loadBalancerClass that is not the NLB's", () => ({ ...base(), gateway: { loadBalancerClass: "example.com/lb", loadBalancer: {} } }), 'gateway.loadBalancer.type: cluster c1: loadBalancerClass is "example.com/lb", which does not select a CLB'],
    ["a listener name used twice", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }, { name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] } }), "routing.listeners[1].name: listener name http is used twice"],
    ["a listener host that is not a host name", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a_b"] }] } }), 'routing.listeners[0].hosts[0]: "a_b" is not a host name'],
    ["an HTTPS listener without tls", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"] }] } }), "routing.listeners[0].tls: a HTTPS listener needs tls settings"],
    ["tls on an HTTP listener", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } }] }, certificates: [{ name: "c", existingSecret: true }] }), "routing.listeners[0].tls: tls applies to HTTPS and TLS listeners; this one is HTTP"],
    ["PASSTHROUGH on an HTTPS listener", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "PASSTHROUGH" } }] } }), "routing.listeners[0].tls.mode: PASSTHROUGH needs protocol TLS"],
    ["a maximum TLS version below the minimum", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c", minProtocolVersion: "TLSV1_3", maxProtocolVersion: "TLSV1_2" } }] }, certificates: [{ name: "c", existingSecret: true }] }), "routing.listeners[0].tls.maxProtocolVersion: is lower than minProtocolVersion"],
    ["httpsRedirect on an HTTPS listener", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], httpsRedirect: true, tls: { mode: "SIMPLE", credentialName: "c" } }] }, certificates: [{ name: "c", existingSecret: true }] }), "routing.listeners[0].httpsRedirect: applies to HTTP listeners"],
    ["a route name used twice", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }] }, { name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }] }] } }), "routing.http[1].name: route name r is used twice"],
    ["a match with two kinds", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], match: [{ path: { exact: "/a", prefix: "/a" } }], destinations: [{ host: "s" }] }] } }), "routing.http[0].match[0].path: give exactly one of exact, prefix, regex (got 2)"],
    ["a query prefix match", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], match: [{ queryParams: { q: { prefix: "a" } } }], destinations: [{ host: "s" }] }] } }), 'routing.http[0].match[0].queryParams["q"].prefix: prefix matching is not available here'],
    ["a redirect with destinations", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }], redirect: { uri: "/b" } }] } }), "routing.http[0].redirect: a route either redirects or forwards to destinations, not both"],
    ["fault injection with Gateway API", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s", port: 80 }], fault: { abort: { httpStatus: 503, percentage: 1 } } }] } }), "routing.http[0].fault: Gateway API has no fault injection"],
    ["a Gateway API rewrite without prefix matches", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], match: [{ path: { exact: "/a" } }], rewrite: { uri: "/" }, destinations: [{ host: "s", port: 80 }] }] } }), "routing.http[0].rewrite.uri: with Gateway API a path rewrite replaces a path prefix"],
    ["a Gateway API destination without a port", () => ({ ...base(), routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s" }] }] } }), "routing.http[0].destinations[0].port: Gateway API needs the Service port"],
    ["Gateway API with backend subsets", () => ({ ...base(), routing: { api: "gateway-api", backends: { s: { subsets: { v1: { version: "v1" } } } } } }), 'routing.backends["s"].subsets: Gateway API routes to Services, not subsets'],
    ["istioApiVersion with Gateway API", () => ({ ...base(), routing: { api: "gateway-api", istioApiVersion: "v1beta1" } }), "routing.istioApiVersion: applies to api: istio"],
    ["a backend duration without a unit", () => ({ ...base(), routing: { backends: { s: { outlierDetection: { interval: "10" } } } } }), 'routing.backends["s"].outlierDetection.interval: "10" is not a duration'],
    ["a rate limit for a host no listener serves", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], rateLimits: [{ hosts: ["b.example.com"], requests: 10, unit: "second" }] } }), "routing.rateLimits[0].hosts[0]: no HTTP listener serves b.example.com"],
    ["a wildcard egress host", () => ({ ...base(), gateway: { gatewayType: "egress" }, routing: { egress: [{ host: "*.partner.com", protocol: "TLS" }] } }), 'routing.egress[0].host: "*.partner.com" must be one external host name'],
    ["an egress port the gateway lacks", () => ({ ...base(), gateway: { gatewayType: "egress" }, routing: { egress: [{ host: "api.partner.com", protocol: "TLS", port: 8443 }] } }), "routing.egress[0].port: the egress gateway Service has no port 8443"],
    ["egress with Gateway API", () => ({ ...base(), gateway: { gatewayType: "egress" }, routing: { api: "gateway-api", egress: [{ host: "api.partner.com", protocol: "TLS" }] } }), "routing.egress[0]: egress routes are rendered with Istio APIs only"],
    ["a routing namespace that is not a DNS label", () => ({ ...base(), routing: { namespace: "Web_1" } }), 'routing.namespace: "Web_1" is not a valid namespace name'],
    ["a DNS zone that is not a name", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, dns: { zone: "*.example.com" } }), 'dns.zone: "*.example.com" is not a DNS zone name'],
    ["DNS with no host in the zone", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, dns: { zone: "example.org" } }), "dns.zone: no host to publish: no listener host is in example.org"],
    ["per-cluster names for a cluster id that is not a DNS label", () => ({ ...base(), clusters: [{ id: "C_1" }], routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, dns: { zone: "example.com", records: "perCluster" } }), "dns.records: cluster id C_1 cannot be a DNS label"],
    ["an IPv6 load balancer in a private zone", () => ({ ...base(), gateway: { loadBalancer: { ipVersion: "ipv6" } }, routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, dns: { zone: "example.com", privateZoneId: "pz" } }), "dns.privateZoneId: PrivateZone records here are A or CNAME"],
    ["a certificate declared twice", () => ({ ...base(), certificates: [{ name: "c", existingSecret: true }, { name: "c", existingSecret: true }] }), "certificates[1].name: certificate c is declared twice"],
    ["a certificate without a source", () => ({ ...base(), certificates: [{ name: "c" }] }), "certificates[0]: needs a source: pem, certManager or existingSecret"],
    ["an upload without PEM", () => ({ ...base(), certificates: [{ name: "c", existingSecret: true, uploadToAlibabaCloud: true }] }), "certificates[0].uploadToAlibabaCloud: uploads a PEM certificate: give pem"],
    ["a client CA beside an existing Secret", () => ({ ...base(), certificates: [{ name: "c", existingSecret: true, clientCaCertificate: "x" }] }), "certificates[0].clientCaCertificate: an existing Secret carries its own ca.crt"],
    ["a client CA that does not parse", () => ({ ...base(), certificates: [{ name: "c", certManager: { issuer: "i" }, hosts: ["a.example.com"], clientCaCertificate: "not a pem" }] }), "certificates[0].clientCaCertificate: does not parse as a PEM certificate"],
    ["a cert-manager certificate with no hosts", () => ({ ...base(), certificates: [{ name: "c", certManager: { issuer: "i" } }] }), "certificates[0].hosts: cert-manager needs the host names to request"],
    ["a MUTUAL listener without a client CA", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "MUTUAL", credentialName: "c" } }] }, certificates: [{ name: "c", certManager: { issuer: "i" } }] }), "certificates[0].clientCaCertificate: listener https requires client certificates (MUTUAL)"],
    ["a JWKS URI that is not https", () => ({ ...base(), security: { jwt: [{ issuer: "i", jwksUri: "http://i/jwks" }] } }), "security.jwt[0].jwksUri: must be an https:// URL"],
    ["inline JWKS that is not JSON", () => ({ ...base(), security: { jwt: [{ issuer: "i", jwks: "{keys" }] } }), "security.jwt[0].jwks: is not JSON"],
    ["a policy path without a slash", () => ({ ...base(), security: { customAuth: [{ provider: "p", paths: ["admin"] }] } }), 'security.customAuth[0].paths[0]: "admin" must start with /'],
    ["source ranges on a ClusterIP Service", () => ({ ...base(), gateway: { serviceType: "ClusterIP", loadBalancerSourceRanges: ["10.0.0.0/8"] } }), "gateway.loadBalancerSourceRanges: applies only when serviceType is LoadBalancer; it is ClusterIP"],
    ["a source range that is not a CIDR block", () => ({ ...base(), gateway: { loadBalancerSourceRanges: ["10.0.0.1"] } }), 'gateway.loadBalancerSourceRanges[0]: "10.0.0.1" is not a CIDR block'],
    ["an external IP that is not an address", () => ({ ...base(), gateway: { externalIPs: ["gw.example.com"] } }), 'gateway.externalIPs[0]: "gw.example.com" is not an IP address'],
    ["two IP families on a single stack", () => ({ ...base(), gateway: { ipFamilies: ["IPv4", "IPv6"] } }), "gateway.ipFamilyPolicy: two ipFamilies need ipFamilyPolicy PreferDualStack or RequireDualStack"],
    ["an IP family twice", () => ({ ...base(), gateway: { ipFamilyPolicy: "PreferDualStack", ipFamilies: ["IPv4", "IPv4"] } }), "gateway.ipFamilies: must NOT have duplicate items"],
    ["an unknown IP family policy", () => ({ ...base(), gateway: { ipFamilyPolicy: "DualStack" } }), 'gateway.ipFamilyPolicy: must be one of "SingleStack", "PreferDualStack", "RequireDualStack"'],
    ["a priority class that is not a DNS subdomain", () => ({ ...base(), gateway: { priorityClassName: "High_Priority" } }), 'gateway.priorityClassName: "High_Priority" is not a valid PriorityClass name'],
    ["a pull secret that is not a Secret name", () => ({ ...base(), gateway: { imagePullSecrets: [{ name: "Registry Key" }] } }), 'gateway.imagePullSecrets[0].name: "Registry Key" is not a valid Secret name'],
    ["a ServiceAccount annotation key that is not a key", () => ({ ...base(), gateway: { serviceAccountAnnotations: { "bad key": "x" } } }), 'gateway.serviceAccountAnnotations["bad key"]: "bad key" is not a valid annotation key'],
    ["an annotation key that is not a key", () => ({ ...base(), gateway: { annotations: { "-x": "1" } } }), 'gateway.annotations["-x"]: "-x" is not a valid annotation key'],
    ["a topology spread with a skew of 0", () => ({ ...base(), gateway: { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "istio-edge" } } }] } }), "gateway.topologySpreadConstraints[0].maxSkew: must be at least 1"],
    ["a topology spread without its required fields", () => ({ ...base(), gateway: { topologySpreadConstraints: [{ maxSkew: 1 }] } }), "gateway.topologySpreadConstraints[0]: must have required property"],
    ["an HPA behavior with an unknown field", () => ({ ...base(), gateway: { maxReplicas: 4, autoscaleBehavior: { scaleDown: { stabilizationWindowSeconds: 600, window: 3 } } } }), "gateway.autoscaleBehavior.scaleDown.window: unknown field"],
    ["a PDB with both bounds", () => ({ ...base(), gateway: { replicaCount: 3, podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } }), "gateway.podDisruptionBudget: give exactly one of minAvailable and maxUnavailable"],
    ["a PDB that blocks every drain", () => ({ ...base(), gateway: { replicaCount: 3, podDisruptionBudget: { maxUnavailable: "0%" } } }), "gateway.podDisruptionBudget.maxUnavailable: 0 would block every node drain"],
    ["a PDB bound that is not a count or percentage", () => ({ ...base(), gateway: { replicaCount: 3, podDisruptionBudget: { minAvailable: "half" } } }), 'gateway.podDisruptionBudget.minAvailable: "half" must be a number of pods or a percentage'],
    ["source ranges in asm mode", () => ({ ...asm(), gateway: { loadBalancerSourceRanges: ["10.0.0.0/8"] } }), "gateway.loadBalancerSourceRanges: ASM renders the gateway Service and the IstioGateway has no field for its source ranges (on Alibaba Cloud, the load balancer's ACL annotations"],
    ["IP families in asm mode", () => ({ ...asm(), gateway: { ipFamilies: ["IPv6"] } }), "gateway.ipFamilies: ASM renders the gateway Service and the IstioGateway has no field for its IP families"],
    ["an IP family policy in asm mode", () => ({ ...asm(), gateway: { ipFamilyPolicy: "PreferDualStack" } }), "gateway.ipFamilyPolicy: ASM renders the gateway Service"],
    ["external IPs in asm mode", () => ({ ...asm(), gateway: { externalIPs: ["10.0.0.9"] } }), "gateway.externalIPs: ASM renders the gateway Service"],
    ["topology spread in asm mode", () => ({ ...asm(), gateway: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" }] } }), "gateway.topologySpreadConstraints: ASM renders the gateway pods"],
    ["a priority class in asm mode", () => ({ ...asm(), gateway: { priorityClassName: "gateway" } }), "gateway.priorityClassName: ASM renders the gateway pods"],
    ["pull secrets in asm mode", () => ({ ...asm(), gateway: { imagePullSecrets: [{ name: "registry" }] } }), "gateway.imagePullSecrets: ASM renders the gateway pods and pulls the proxy image itself"],
    ["ServiceAccount annotations in asm mode", () => ({ ...asm(), gateway: { serviceAccountAnnotations: { "pod-identity.alibabacloud.com/role-name": "gw" } } }), "gateway.serviceAccountAnnotations: ASM creates the gateway's ServiceAccount"],
    ["an HPA behavior in asm mode", () => ({ ...asm(), gateway: { maxReplicas: 4, autoscaleBehavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } }), "gateway.autoscaleBehavior: ASM renders the HPA from cpu, memory, minReplicas and maxReplicas only"],
    ["a PDB in asm mode", () => ({ ...asm(), gateway: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } } }), "gateway.podDisruptionBudget: ASM renders the gateway workload"],
    ["annotations on every object in asm mode", () => ({ ...asm(), gateway: { annotations: { team: "edge" } } }), "gateway.annotations: ASM renders the gateway's objects"],
    ["a DaemonSet in asm mode", () => ({ ...asm(), gateway: { kind: "DaemonSet" } }), "gateway.kind: ASM renders the gateway workload as a Deployment"],
    ["a replica count for a DaemonSet", () => ({ ...base(), gateway: { kind: "DaemonSet", replicaCount: 3 } }), "gateway.replicaCount: does not apply to kind DaemonSet"],
    ["an HPA for a DaemonSet", () => ({ ...base(), gateway: { kind: "DaemonSet", maxReplicas: 6 } }), "gateway.maxReplicas: does not apply to kind DaemonSet"],
    ["autoscaling a DaemonSet", () => ({ ...base(), gateway: { kind: "DaemonSet", autoscaleEnabled: true, maxReplicas: 4 } }), "gateway.autoscaleEnabled: does not apply to kind DaemonSet"],
    ["a PDB for a DaemonSet one cluster makes", () => ({ ...base(), gateway: { overrides: { c2: { kind: "DaemonSet", podDisruptionBudget: { minAvailable: 1 } } } } }), 'gateway.overrides["c2"].podDisruptionBudget: does not apply to kind DaemonSet'],
    ["a DaemonSet surge and unavailability both set", () => ({ ...base(), gateway: { kind: "DaemonSet", rollingMaxSurge: 1, rollingMaxUnavailable: "10%" } }), "gateway.rollingMaxSurge: a DaemonSet takes rollingMaxSurge or rollingMaxUnavailable, not both non-zero"],
    ["a DaemonSet surge over 100%", () => ({ ...base(), gateway: { kind: "DaemonSet", rollingMaxSurge: "150%" } }), "gateway.rollingMaxSurge: cannot exceed 100% for a DaemonSet"],
    ["a DaemonSet with no unavailability and no surge", () => ({ ...base(), gateway: { kind: "DaemonSet", rollingMaxUnavailable: 0 } }), "gateway.rollingMaxUnavailable: is 0 while a DaemonSet's rollingMaxSurge defaults to 0"],
    ["a DaemonSet surge on the host network", () => ({ ...base(), gateway: { kind: "DaemonSet", hostNetwork: true, runAsRoot: true, dnsPolicy: "ClusterFirstWithHostNet", rollingMaxSurge: 1 } }), "gateway.rollingMaxSurge: with hostNetwork a DaemonSet's surge pod cannot bind the node ports"],
    ["an unknown workload kind", () => ({ ...base(), gateway: { kind: "StatefulSet" } }), 'gateway.kind: must be one of "Deployment", "DaemonSet"'],
    ["a chart field in an asm override", () => ({ ...asm(), gateway: { overrides: { c1: { priorityClassName: "gateway" } } } }), 'gateway.overrides["c1"].priorityClassName: ASM does not apply priorityClassName per cluster'],
    ["a policy host no listener serves", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }] }, security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["b.example.com"] }] } }), "security.jwt[0].hosts[0]: no listener serves b.example.com"],
    ["an HTTP and a TCP listener on one port (Istio drops one server)", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }, { name: "tcp", port: 80, protocol: "TCP", hosts: ["*"] }] } }), "routing.listeners[1].port: port 80 is also used by listeners[0] (HTTP): Istio cannot serve HTTP and TCP on one port"],
    ["two plain TCP listeners on one port", () => ({ ...base(), gateway: { ports: [{ name: "tcp", port: 31400 }] }, routing: { listeners: [{ name: "a", port: 31400, protocol: "TCP", hosts: ["*"] }, { name: "b", port: 31400, protocol: "TCP", hosts: ["db.example.com"] }] } }), "routing.listeners[1].port: port 31400 is also used by listeners[0] (TCP): Istio cannot serve two plain TCP servers on one port"],
    ["plain HTTP and HTTPS on one port", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 443, protocol: "HTTP", hosts: ["a.example.com"] }, { name: "https", port: 443, protocol: "HTTPS", hosts: ["b.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } }] }, certificates: [{ name: "c", existingSecret: true }] }), "routing.listeners[1].port: port 443 is also used by listeners[0] (HTTP): Istio cannot serve HTTP and TLS on one port"],
    ["a route host in upper case", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }], http: [{ name: "r", hosts: ["Shop.example.com"], destinations: [{ host: "s" }] }] } }), 'routing.http[0].hosts[0]: "Shop.example.com": hosts are lower-case (write shop.example.com)'],
    ["a listener host in upper case", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["Shop.example.com"] }] } }), 'routing.listeners[0].hosts[0]: "Shop.example.com": hosts are lower-case'],
    ["a policy host in upper case", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["shop.example.com"] }] }, security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks", hosts: ["SHOP.example.com"] }] } }), 'security.jwt[0].hosts[0]: "SHOP.example.com": hosts are lower-case'],
    ["a per-host rate limit only a wildcard virtual host carries", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["*.shops.example.com"] }], http: [{ name: "shops", hosts: ["*.shops.example.com"], destinations: [{ host: "shop" }] }], rateLimits: [{ hosts: ["acme.shops.example.com"], requests: 100, unit: "second" }] } }), "routing.rateLimits[0].hosts[0]: acme.shops.example.com is served by the virtual host *.shops.example.com:80, which Istio builds from the route host *.shops.example.com"],
    ["a per-host rate limit for a host no route serves", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com", "b.example.com"] }], http: [{ name: "a", hosts: ["a.example.com"], destinations: [{ host: "a" }] }], rateLimits: [{ hosts: ["b.example.com"], requests: 100, unit: "second" }] } }), "routing.rateLimits[0].hosts[0]: no HTTP route serves b.example.com, so Istio builds no virtual host to limit"],
    ["a TCPRoute for an Istio that reads it only at v1alpha2, with standard Gateway API v1.6 CRDs", () => ({ ...base(), istioVersion: "1.29", gateway: { ports: [{ name: "tcp", port: 31400 }] }, routing: { api: "gateway-api", listeners: [{ name: "tcp", port: 31400, protocol: "TCP", hosts: ["*"] }], tcp: [{ name: "t", port: 31400, destinations: [{ host: "db", port: 5432 }] }] } }), "routing.tcp: Istio 1.29 reads TCPRoute at v1alpha2 only, which the Gateway API v1.6 (standard channel) CRDs do not serve"],
    ["a TLSRoute with Gateway API CRDs older than v1.5", () => ({ ...base(), gateway: { ports: [{ name: "tls", port: 443 }] }, routing: { api: "gateway-api", gatewayApiVersion: "1.4", listeners: [{ name: "tls", port: 443, protocol: "TLS", hosts: ["a.example.com"], tls: { mode: "PASSTHROUGH" } }], tls: [{ name: "t", sniHosts: ["a.example.com"], destinations: [{ host: "a", port: 443 }] }] } }), "routing.tls: Istio 1.31 reads TLSRoute at v1 only, which the Gateway API v1.4 (standard channel) CRDs do not serve"],
    ["a Gateway API CORS filter for Istio 1.25", () => ({ ...base(), istioVersion: "1.25.2", routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s", port: 80 }], cors: { allowOrigins: ["https://b.example.com"] } }] } }), "routing.http[0].cors: Istio 1.25 does not read the HTTPRoute CORS filter (Istio 1.26 and later do)"],
    ["a Gateway API mirror percentage for ASM 1.23", () => ({ ...asm(), asmVersion: "1.23", routing: { api: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s", port: 80 }], mirror: { destination: { host: "shadow", port: 80 }, percentage: 5 } }] } }), "routing.http[0].mirror.percentage: ASM 1.23 (Istio 1.23) does not read requestMirror.percent (Istio 1.24 and later do): the percentage is dropped and every request is mirrored"],
    ["a Gateway API mirror percentage with CRDs that prune it", () => ({ ...base(), routing: { api: "gateway-api", gatewayApiVersion: "1.2", listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "r", hosts: ["a.example.com"], destinations: [{ host: "s", port: 80 }], mirror: { destination: { host: "shadow", port: 80 }, percentage: 5 } }] } }), "routing.http[0].mirror.percentage: Gateway API v1.2 (standard channel) CRDs prune requestMirror.percent"],
    ["v1 Istio APIs for Istio 1.20", () => ({ ...base(), istioVersion: "1.20", routing: { istioApiVersion: "v1" } }), "routing.istioApiVersion: Istio 1.20 has no v1 Istio APIs"],
    ["istioVersion in asm mode", () => ({ ...asm(), istioVersion: "1.29" }), "istioVersion: in asm mode the Istio version is the one asmVersion embeds"],
    ["an istioVersion that is not a version", () => ({ ...base(), istioVersion: "latest" }), "istioVersion: must match pattern"],
    ["an unknown Gateway API channel", () => ({ ...base(), routing: { api: "gateway-api", gatewayApiChannel: "beta" } }), 'routing.gatewayApiChannel: must be one of "standard", "experimental"'],
    ["IP lists while an additional load balancer's Service hides client addresses", () => ({ ...base(), gateway: { loadBalancer: { backendType: "eni" }, additionalLoadBalancers: [{ name: "internal", addressType: "intranet", vswitchId: "vsw-1" }] }, security: { ipAllow: ["10.0.0.0/8"] } }), "security.ipAllow: the gateway does not see client addresses behind Service istio-edge-internal in cluster c1 (gateway.additionalLoadBalancers[0])"],
    ["JWT rules of two issuers whose scopes overlap", () => ({ ...base(), security: { jwt: [{ issuer: "https://a.example.com", jwksUri: "https://a.example.com/jwks" }, { issuer: "https://b.example.com", jwksUri: "https://b.example.com/jwks", paths: ["/internal/*"] }] } }), "security.jwt[1]: its hosts and paths overlap those of security.jwt[0] (issuer https://a.example.com) without being the same"],
    ["a JWT rule on a gateway without an HTTP port", () => ({ ...base(), gateway: { ports: [{ name: "tcp", port: 31400, protocol: "TCP" }] }, security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks" }] } }), "security.jwt[0]: the gateway has no HTTP or HTTPS port to apply it to"],
    ["two rate limits for one host (the second would replace the first)", () => ({ ...base(), routing: { listeners: [{ name: "http", port: 80, protocol: "HTTP", hosts: ["a.example.com"] }], http: [{ name: "a", hosts: ["a.example.com"], destinations: [{ host: "a" }] }], rateLimits: [{ hosts: ["a.example.com"], requests: 100, unit: "second" }, { hosts: ["a.example.com"], requests: 10, unit: "second" }] } }), "routing.rateLimits[1].hosts[0]: a.example.com is already limited by rateLimits[0]"],
    ["two whole-gateway rate limits", () => ({ ...base(), routing: { rateLimits: [{ requests: 100, unit: "second" }, { requests: 1000, unit: "minute" }] } }), "routing.rateLimits[1]: the whole gateway is already limited by rateLimits[0]"],
    ["a JWT rule on a port HTTPS shares with TLS passthrough", () => ({ ...base(), routing: { listeners: [{ name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "SIMPLE", credentialName: "c" } }, { name: "pass", port: 443, protocol: "TLS", hosts: ["db.example.com"], tls: { mode: "PASSTHROUGH" } }] }, certificates: [{ name: "c", existingSecret: true }], security: { jwt: [{ issuer: "i", jwksUri: "https://i/jwks" }] } }), "security.jwt[0]: port 443 carries HTTP(S) and routing.listeners[1] (TLS): Istio drops a rule's HTTP attributes on TCP and TLS passthrough connections"],
];

describe("validation", () => {
    it(`covers at least 30 rules (${cases.length} cases)`, () => {
        expect(cases.length).to.be.at.least(30);
    });

    for (const [title, fleet, expected] of cases) {
        it(`refuses ${title}`, () => {
            let error: unknown;
            try {
                planFleet(fleet());
            } catch (e) {
                error = e;
            }
            expect(error, "no error was raised").to.be.instanceOf(ConfigError);
            const lines = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
            expect(lines.some((l) => l.startsWith(expected)), `expected a line starting with\n  ${expected}\ngot\n  ${lines.join("\n  ")}`).to.equal(true);
        });
    }

    it(`refuses every one of the ${cases.length} cases in the component too, registering nothing`, async () => {
        for (const [title, fleet, expected] of cases) {
            const { name, ...rest } = fleet() as GatewayFleetSpec;
            let error: unknown;
            const resources = await runInProcess(() => {
                try {
                    new MeshGateway(typeof name === "string" ? name : "edge", { ...rest, gatewayName: name } as MeshGatewayArgs);
                } catch (e) {
                    error = e;
                }
            });
            expect(resources, title).to.deep.equal([]);
            expect(String((error as Error | undefined)?.message), title).to.contain(expected.split(": ")[0]);
        }
    });

    it("reports every problem at once", () => {
        try {
            planFleet({ ...base(), gateway: { minReplicas: 5, maxReplicas: 2, ports: [{ name: "a", port: 80 }, { name: "a", port: 80 }] } });
            expect.fail("no error");
        } catch (e) {
            expect((e as ConfigError).issues.map((i) => i.path)).to.have.members(["gateway.minReplicas", "gateway.ports[1].name", "gateway.ports[1].port"]);
        }
    });

    it("refuses in the component before registering anything, with no stack trace", async () => {
        let error: unknown;
        const resources = await runInProcess(() => {
            try {
                new MeshGateway("edge", { ...base(), gateway: { overrides: { c3: {} } } } as MeshGatewayArgs);
            } catch (e) {
                error = e;
            }
        });
        expect(resources).to.deep.equal([]);
        expect((error as Error).message).to.contain('gateway.overrides["c3"]: cluster c3 is not in clusters (c1, c2)');
        expect((error as Error).message).to.contain('mesh-gateway:index:MeshGateway "edge"');
        expect((error as { hideStack?: boolean }).hideStack).to.equal(true);
    });

    it("warns, without refusing, about settings that have no effect", () => {
        const plan = planFleet({ ...base(), gateway: { cpu: { targetAverageUtilization: 80 }, kernel: { enabled: true, parameters: { "net.ipv4.tcp_tw_reuse": "1" } } } });
        expect(plan.warnings.map((w) => `${w.path}: ${w.message}`)).to.deep.equal([
            "gateway.cpu: has no effect without maxReplicas: no HPA is created and replicaCount applies",
            'gateway.kernel.parameters["net.ipv4.tcp_tw_reuse"]: net.ipv4.tcp_tw_reuse is an unsafe sysctl: gateway pods start only on nodes whose kubelet allows it (--allowed-unsafe-sysctls)',
        ]);
    });
});
