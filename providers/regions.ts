// One explicit Alibaba Cloud provider per region the fleet uses. A load balancer, its vSwitch
// lookups and its certificates must live in the region of the cluster whose cloud controller
// binds it; the stack's default provider has one region for everything.
import { regionProviderName } from "../components/names";
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";

/**
 * Settings of the default provider (`alicloud:*` stack config) that the region providers take
 * over, so credentials set for the stack work for them too. Explicit providers do not read stack
 * config themselves; environment variables and CLI profiles they do read.
 */
const SECRET_KEYS = ["accessKey", "secretKey", "securityToken"] as const;
const TEXT_KEYS = [
    "profile",
    "sharedCredentialsFile",
    "ecsRoleName",
    "accountId",
    "accountType",
    "configurationSource",
    "credentialsUri",
    "protocol",
    "secureTransport",
    "sourceIp",
] as const;
const OBJECT_KEYS = [
    "assumeRole",
    "assumeRoleWithOidc",
    "signVersion",
    "skipRegionValidation",
    "maxRetryTimeout",
    "clientConnectTimeout",
    "clientReadTimeout",
] as const;

function inheritedSettings(): alicloud.ProviderArgs {
    const config = new pulumi.Config("alicloud");
    const args: Record<string, unknown> = {};
    for (const k of SECRET_KEYS) {
        const v = config.getSecret(k);
        if (v !== undefined) args[k] = v;
    }
    for (const k of TEXT_KEYS) {
        const v = config.get(k);
        if (v !== undefined) args[k] = v;
    }
    for (const k of OBJECT_KEYS) {
        const v = config.getObject<unknown>(k);
        if (v !== undefined) args[k] = v;
    }
    return args as alicloud.ProviderArgs;
}

/** Creates one provider per region (children of `parent`), by region id. */
export function regionProviders(name: string, regions: Iterable<string>, parent: pulumi.Resource): Map<string, alicloud.Provider> {
    const inherited = inheritedSettings();
    const out = new Map<string, alicloud.Provider>();
    for (const region of [...new Set(regions)].sort()) {
        out.set(region, new alicloud.Provider(regionProviderName(name, region), { ...inherited, region }, { parent }));
    }
    return out;
}

/**
 * Mainland China regions: `cn-*` except Hong Kong (the alicloud provider's own split, in
 * `isInternationalRegion`, alicloud/connectivity/client.go).
 */
export function isMainlandRegion(region: string): boolean {
    return region.startsWith("cn-") && region !== "cn-hongkong";
}

/**
 * Certificate Management is a central service with two sites: an NLB in a mainland region uses
 * certificates of `cn-hangzhou`, elsewhere of `ap-southeast-1`, and names them `<id>-<site>`
 * (the NLB usage guide of the cloud controller).
 */
export function certificateSiteOf(region: string): string {
    return isMainlandRegion(region) ? "cn-hangzhou" : "ap-southeast-1";
}
