// The gateway workload: replicas and autoscaling, rollout, PDB, kernel parameters, volumes, env, labels, compression, unknown fields.
import { base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "a CPU target above 100",
        () => ({ ...base(), gateway: { maxReplicas: 3, cpu: { targetAverageUtilization: 120 } } }),
        "gateway.cpu.targetAverageUtilization: must be <= 100",
    ],
    [
        "a memory target of 0",
        () => ({ ...base(), gateway: { maxReplicas: 3, memory: { targetAverageUtilization: 0 } } }),
        "gateway.memory.targetAverageUtilization: must be >= 1",
    ],
    [
        "minReplicas above maxReplicas",
        () => ({ ...base(), gateway: { minReplicas: 5, maxReplicas: 2 } }),
        "gateway.minReplicas: 5 is greater than maxReplicas (2)",
    ],
    [
        "minReplicas above maxReplicas in one cluster only",
        () => ({ ...base(), gateway: { minReplicas: 2, maxReplicas: 4, overrides: { c2: { maxReplicas: 1 } } } }),
        'gateway.overrides["c2"].minReplicas: 2 is greater than maxReplicas (1)',
    ],
    [
        "autoscaleEnabled without maxReplicas",
        () => ({ ...base(), gateway: { autoscaleEnabled: true } }),
        "gateway.maxReplicas: is required when autoscaleEnabled is true",
    ],
    [
        "gzip memory_level out of range",
        () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { memory_level: 10 } } } }),
        "gateway.compression.gzip.memory_level: must be <= 9",
    ],
    [
        "gzip window_bits out of range",
        () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { window_bits: 8 } } } }),
        "gateway.compression.gzip.window_bits: must be >= 9",
    ],
    [
        "gzip chunk_size out of range",
        () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { chunk_size: 100 } } } }),
        "gateway.compression.gzip.chunk_size: must be >= 4096",
    ],
    [
        "an unknown compression level",
        () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { compression_level: "LEVEL_5" } } } }),
        'gateway.compression.gzip.compression_level: must be one of "BEST_SPEED"',
    ],
    [
        "an unknown compression strategy",
        () => ({ ...base(), gateway: { compression: { enabled: true, gzip: { compression_strategy: "FAST" } } } }),
        'gateway.compression.gzip.compression_strategy: must be one of "DEFAULT_STRATEGY"',
    ],
    [
        "compression without gzip",
        () => ({ ...base(), gateway: { compression: { enabled: true } } }),
        "gateway.compression.gzip: is required to enable compression",
    ],
    [
        "compression on an egress gateway",
        () => ({ ...base(), gateway: { gatewayType: "egress", compression: { enabled: true, gzip: {} } } }),
        "gateway.compression.enabled: compression applies to ingress gateways only",
    ],
    [
        "a kernel parameter value that is not a string",
        () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "net.core.somaxconn": 1024 } } } }),
        'gateway.kernel.parameters["net.core.somaxconn"]: kernel parameter values must be strings',
    ],
    [
        "a node-level kernel parameter",
        () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "vm.swappiness": "10" } } } }),
        'gateway.kernel.parameters["vm.swappiness"]: vm.swappiness cannot be set per pod: it is not namespaced',
    ],
    [
        "a removed kernel parameter",
        () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "net.ipv4.tcp_tw_recycle": "1" } } } }),
        'gateway.kernel.parameters["net.ipv4.tcp_tw_recycle"]: net.ipv4.tcp_tw_recycle cannot be set per pod: Linux 4.12 removed it',
    ],
    [
        "hostNetwork with net.* sysctls",
        () => ({
            ...base(),
            gateway: { hostNetwork: true, runAsRoot: true, kernel: { enabled: true, parameters: { "net.core.somaxconn": "1024" } } },
        }),
        'gateway.kernel.parameters["net.core.somaxconn"]: net.* sysctls cannot be set with hostNetwork: true',
    ],
    [
        "hostNetwork switched on in one cluster that has net.* sysctls",
        () => ({
            ...base(),
            gateway: {
                runAsRoot: true,
                kernel: { enabled: true, parameters: { "net.core.somaxconn": "1024" } },
                overrides: { c1: { hostNetwork: true } },
            },
        }),
        'gateway.overrides["c1"].kernel.parameters["net.core.somaxconn"]: net.* sysctls cannot be set with hostNetwork: true',
    ],
    [
        "a typo in a gateway field",
        () => ({ ...base(), gateway: { replicaCont: 2 } }),
        "gateway.replicaCont: unknown field (did you mean replicaCount?)",
    ],
    [
        "a typo inside an override",
        () => ({ ...base(), gateway: { overrides: { c1: { resorces: {} } } } }),
        'gateway.overrides["c1"].resorces: unknown field (did you mean resources?)',
    ],
    [
        "a typo inside a Kubernetes field (affinity)",
        () => ({ ...base(), gateway: { affinity: { nodeAffinty: {} } } }),
        "gateway.affinity.nodeAffinty: unknown field (did you mean nodeAffinity?)",
    ],
    [
        "a toleration with a text timeout",
        () => ({ ...base(), gateway: { tolerations: [{ key: "a", operator: "Exists", tolerationSeconds: "60" }] } }),
        "gateway.tolerations[0].tolerationSeconds: must be integer",
    ],
    [
        "gatewayType in an override",
        () => ({ ...base(), gateway: { overrides: { c1: { gatewayType: "egress" } } } }),
        'gateway.overrides["c1"].gatewayType: unknown field',
    ],
    [
        "rollingMaxSurge that is neither a count nor a percentage",
        () => ({ ...base(), gateway: { rollingMaxSurge: "lots" } }),
        'gateway.rollingMaxSurge: "lots" must be a number of pods or a percentage such as "25%"',
    ],
    [
        "a rollout that can never progress",
        () => ({ ...base(), gateway: { rollingMaxSurge: 0, rollingMaxUnavailable: "0%" } }),
        "gateway.rollingMaxUnavailable: rollingMaxSurge and rollingMaxUnavailable cannot both be 0",
    ],
    [
        "two volumes with one name",
        () => ({
            ...base(),
            gateway: {
                configVolumes: [{ name: "v", configMapName: "a", mountPath: "/a" }],
                secretVolumes: [{ name: "v", secretName: "s", mountPath: "/b" }],
            },
        }),
        "gateway.secretVolumes[0].name: volume name v is also used by configVolumes[0]",
    ],
    [
        "a relative mount path",
        () => ({ ...base(), gateway: { configVolumes: [{ name: "v", configMapName: "a", mountPath: "etc/lua" }] } }),
        'gateway.configVolumes[0].mountPath: "etc/lua" must be an absolute path',
    ],
    [
        "a volume missing its ConfigMap",
        () => ({ ...base(), gateway: { configVolumes: [{ name: "v", mountPath: "/a" }] } }),
        "gateway.configVolumes[0]: must have required property 'configMapName'",
    ],
    [
        "pod labels that would break the Service selector",
        () => ({ ...base(), gateway: { podLabels: { app: "mine" } } }),
        'gateway.podLabels["app"]: the gateway\'s Service selects its pods by the app label',
    ],
    [
        "low ports on the host network without root",
        () => ({ ...base(), gateway: { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } }),
        "gateway.hostNetwork: target ports below 1024 (80, 443) need runAsRoot: true with hostNetwork",
    ],
    [
        "duplicate environment variables",
        () => ({
            ...base(),
            gateway: {
                env: [
                    { name: "A", value: "1" },
                    { name: "A", value: "2" },
                ],
            },
        }),
        "gateway.env[1].name: duplicate environment variable A",
    ],
    [
        "an invalid resource quantity type",
        () => ({ ...base(), gateway: { resources: { limits: { cpu: true } } } }),
        'gateway.resources.limits["cpu"]: must be string',
    ],
    [
        "rollingMaxUnavailable above 100%",
        () => ({ ...base(), gateway: { rollingMaxUnavailable: "150%" } }),
        "gateway.rollingMaxUnavailable: cannot exceed 100%",
    ],
    [
        "autoscaling switched off with HPA fields set",
        () => ({ ...base(), gateway: { autoscaleEnabled: false, maxReplicas: 4 } }),
        "gateway.autoscaleEnabled: is false while HPA fields (cpu, memory, maxReplicas) are set",
    ],
    [
        "minReplicas without autoscaling",
        () => ({ ...base(), gateway: { minReplicas: 2 } }),
        "gateway.minReplicas: has no effect without autoscaling",
    ],
    [
        "an env var with both value and valueFrom",
        () => ({ ...base(), gateway: { env: [{ name: "A", value: "1", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] } }),
        "gateway.env[0]: give either value or valueFrom, not both",
    ],
    [
        "an invalid label value",
        () => ({ ...base(), gateway: { podLabels: { team: "a b" } } }),
        'gateway.podLabels["team"]: "a b" is not a valid label value',
    ],
    [
        "an empty kernel parameter",
        () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "net.core.somaxconn": " " } } } }),
        'gateway.kernel.parameters["net.core.somaxconn"]: value is empty',
    ],
    [
        "a kernel parameter that is not namespaced",
        () => ({ ...base(), gateway: { kernel: { enabled: true, parameters: { "fs.file-max": "100000" } } } }),
        'gateway.kernel.parameters["fs.file-max"]: fs.file-max cannot be set per pod: only namespaced sysctls',
    ],
    [
        "a priority class that is not a DNS subdomain",
        () => ({ ...base(), gateway: { priorityClassName: "High_Priority" } }),
        'gateway.priorityClassName: "High_Priority" is not a valid PriorityClass name',
    ],
    [
        "a pull secret that is not a Secret name",
        () => ({ ...base(), gateway: { imagePullSecrets: [{ name: "Registry Key" }] } }),
        'gateway.imagePullSecrets[0].name: "Registry Key" is not a valid Secret name',
    ],
    [
        "a ServiceAccount annotation key that is not a key",
        () => ({ ...base(), gateway: { serviceAccountAnnotations: { "bad key": "x" } } }),
        'gateway.serviceAccountAnnotations["bad key"]: "bad key" is not a valid annotation key',
    ],
    [
        "an annotation key that is not a key",
        () => ({ ...base(), gateway: { annotations: { "-x": "1" } } }),
        'gateway.annotations["-x"]: "-x" is not a valid annotation key',
    ],
    [
        "a topology spread with a skew of 0",
        () => ({
            ...base(),
            gateway: {
                topologySpreadConstraints: [
                    {
                        maxSkew: 0,
                        topologyKey: "topology.kubernetes.io/zone",
                        whenUnsatisfiable: "ScheduleAnyway",
                        labelSelector: { matchLabels: { app: "istio-edge" } },
                    },
                ],
            },
        }),
        "gateway.topologySpreadConstraints[0].maxSkew: must be at least 1",
    ],
    [
        "a topology spread without its required fields",
        () => ({ ...base(), gateway: { topologySpreadConstraints: [{ maxSkew: 1 }] } }),
        "gateway.topologySpreadConstraints[0]: must have required property",
    ],
    [
        "an HPA behavior with an unknown field",
        () => ({
            ...base(),
            gateway: { maxReplicas: 4, autoscaleBehavior: { scaleDown: { stabilizationWindowSeconds: 600, window: 3 } } },
        }),
        "gateway.autoscaleBehavior.scaleDown.window: unknown field",
    ],
    [
        "a PDB with both bounds",
        () => ({ ...base(), gateway: { replicaCount: 3, podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } }),
        "gateway.podDisruptionBudget: give exactly one of minAvailable and maxUnavailable",
    ],
    [
        "a PDB that blocks every drain",
        () => ({ ...base(), gateway: { replicaCount: 3, podDisruptionBudget: { maxUnavailable: "0%" } } }),
        "gateway.podDisruptionBudget.maxUnavailable: 0 would block every node drain",
    ],
    [
        "a PDB bound that is not a count or percentage",
        () => ({ ...base(), gateway: { replicaCount: 3, podDisruptionBudget: { minAvailable: "half" } } }),
        'gateway.podDisruptionBudget.minAvailable: "half" must be a number of pods or a percentage',
    ],
    [
        "a replica count for a DaemonSet",
        () => ({ ...base(), gateway: { kind: "DaemonSet", replicaCount: 3 } }),
        "gateway.replicaCount: does not apply to kind DaemonSet",
    ],
    [
        "an HPA for a DaemonSet",
        () => ({ ...base(), gateway: { kind: "DaemonSet", maxReplicas: 6 } }),
        "gateway.maxReplicas: does not apply to kind DaemonSet",
    ],
    [
        "autoscaling a DaemonSet",
        () => ({ ...base(), gateway: { kind: "DaemonSet", autoscaleEnabled: true, maxReplicas: 4 } }),
        "gateway.autoscaleEnabled: does not apply to kind DaemonSet",
    ],
    [
        "a PDB for a DaemonSet one cluster makes",
        () => ({ ...base(), gateway: { overrides: { c2: { kind: "DaemonSet", podDisruptionBudget: { minAvailable: 1 } } } } }),
        'gateway.overrides["c2"].podDisruptionBudget: does not apply to kind DaemonSet',
    ],
    [
        "a DaemonSet surge and unavailability both set",
        () => ({ ...base(), gateway: { kind: "DaemonSet", rollingMaxSurge: 1, rollingMaxUnavailable: "10%" } }),
        "gateway.rollingMaxSurge: a DaemonSet takes rollingMaxSurge or rollingMaxUnavailable, not both non-zero",
    ],
    [
        "a DaemonSet surge over 100%",
        () => ({ ...base(), gateway: { kind: "DaemonSet", rollingMaxSurge: "150%" } }),
        "gateway.rollingMaxSurge: cannot exceed 100% for a DaemonSet",
    ],
    [
        "a DaemonSet with no unavailability and no surge",
        () => ({ ...base(), gateway: { kind: "DaemonSet", rollingMaxUnavailable: 0 } }),
        "gateway.rollingMaxUnavailable: is 0 while a DaemonSet's rollingMaxSurge defaults to 0",
    ],
    [
        "a DaemonSet surge on the host network",
        () => ({
            ...base(),
            gateway: { kind: "DaemonSet", hostNetwork: true, runAsRoot: true, dnsPolicy: "ClusterFirstWithHostNet", rollingMaxSurge: 1 },
        }),
        "gateway.rollingMaxSurge: with hostNetwork a DaemonSet's surge pod cannot bind the node ports",
    ],
    [
        "an unknown workload kind",
        () => ({ ...base(), gateway: { kind: "StatefulSet" } }),
        'gateway.kind: must be one of "Deployment", "DaemonSet"',
    ],
];
