// How Kubernetes treats each sysctl ASM lets a gateway tune. A pod may set "safe" sysctls
// freely; "unsafe" ones only on nodes whose kubelet allow-lists them (--allowed-unsafe-sysctls),
// otherwise the pod is rejected with SysctlForbidden. Node-level ones cannot be set per pod.
import { ownValue } from "./input";

export type SysctlKind = "safe" | "unsafe" | "node-level" | "removed" | "vendor";

export interface SysctlInfo {
    kind: SysctlKind;
    /** Kubernetes version from which a safe sysctl is safe; older kubelets treat it as unsafe. */
    safeSince?: string;
    note?: string;
}

export const SYSCTLS: Readonly<Record<string, SysctlInfo>> = {
    "net.ipv4.ip_local_port_range": { kind: "safe" },
    "net.ipv4.ip_unprivileged_port_start": { kind: "safe" },
    "net.ipv4.tcp_syncookies": { kind: "safe" },
    "net.ipv4.ping_group_range": { kind: "safe" },
    "net.ipv4.ip_local_reserved_ports": { kind: "safe", safeSince: "1.27" },
    "net.ipv4.tcp_keepalive_time": { kind: "safe", safeSince: "1.29" },
    "net.ipv4.tcp_fin_timeout": { kind: "safe", safeSince: "1.29" },
    "net.ipv4.tcp_keepalive_intvl": { kind: "safe", safeSince: "1.29" },
    "net.ipv4.tcp_keepalive_probes": { kind: "safe", safeSince: "1.29" },
    "net.ipv4.tcp_rmem": { kind: "safe", safeSince: "1.32" },
    "net.ipv4.tcp_wmem": { kind: "safe", safeSince: "1.32" },
    "net.core.somaxconn": { kind: "unsafe" },
    "net.ipv4.tcp_tw_reuse": { kind: "unsafe" },
    "net.ipv4.tcp_timestamps": { kind: "unsafe" },
    "net.ipv4.tcp_max_syn_backlog": { kind: "unsafe" },
    "net.ipv4.tcp_slow_start_after_idle": { kind: "unsafe" },
    "net.ipv4.tcp_retries2": { kind: "unsafe" },
    "net.ipv4.tcp_no_metrics_save": { kind: "unsafe" },
    "net.ipv4.tcp_autocorking": { kind: "unsafe" },
    "net.core.netdev_max_backlog": { kind: "node-level", note: "it is not namespaced; set it on the node" },
    "net.ipv4.tcp_max_orphans": { kind: "node-level", note: "it is not namespaced; set it on the node" },
    "kernel.printk": { kind: "node-level", note: "it is not namespaced; set it on the node" },
    "vm.swappiness": { kind: "node-level", note: "it is not namespaced; set it on the node" },
    "net.ipv4.tcp_tw_recycle": { kind: "removed", note: "Linux 4.12 removed it" },
    "net.ipv4.tcp_tw_timeout": { kind: "vendor", note: "only Alibaba Cloud Linux kernels have it" },
};

/** Namespaced sysctl prefixes Kubernetes accepts as unsafe sysctls on allow-listed nodes. */
const NAMESPACED_PREFIXES = ["net.", "kernel.shm", "kernel.msg", "kernel.sem", "fs.mqueue."];

export function classifySysctl(name: string): SysctlInfo | undefined {
    const known = ownValue(SYSCTLS, name);
    if (known) return known;
    if (NAMESPACED_PREFIXES.some((p) => name.startsWith(p))) return { kind: "unsafe" };
    return undefined;
}
