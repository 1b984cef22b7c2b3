// No credential appears in plain text: not in any registered input, not in the component's
// outputs, not in the offline plan's files, not in a refusal. Credentials are given both as
// pulumi.secret(...) and as plain strings: the component must make the plain ones secret.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MeshGateway, type MeshGatewayArgs } from "../../components/meshGateway";
import { runInProcess, type RecordedResource } from "../../offline/engine";
import { planOffline, summarize, writePlan } from "../../offline/plan";
import { fakeCloudState, valueOf } from "../support/fleet";
import { filesUnder, leaks, secretValue, SECRET_KINDS, type SecretValue } from "../support/secrets";

interface SecretFleet {
    name: string;
    args: MeshGatewayArgs;
    secrets: SecretValue[];
    /** ACK credentials handed out by the fake cloud, by cluster id. */
    ack: Map<string, SecretValue>;
}

/** A fleet using every kind of secret, each once as pulumi.secret and once as a plain string. */
function secretFleet(mode: "istio" | "asm", wrap: boolean): SecretFleet {
    const how = wrap ? "pulumi.secret" : "plain string";
    const give = (s: SecretValue) => (wrap ? pulumi.secret(s.value) : s.value);
    const k1 = secretValue(`kubeconfig of c1 (${how})`);
    const k2 = secretValue(`kubeconfig of c2 (${how})`);
    const cp = secretValue(`control-plane kubeconfig (${how})`);
    const ack = new Map([["c3", secretValue("ACK credential of c3 (invoke result)")]]);
    const clusters =
        mode === "istio"
            ? [{ id: "c1", kubeconfig: give(k1) }, { id: "c2", kubeconfig: give(k2) }, { id: "c3" }]
            : [{ id: "c1" }, { id: "c2" }, { id: "c3" }];
    return {
        name: `sec-${mode}`,
        args: {
            mode,
            clusters,
            ...(mode === "asm" ? { controlPlane: { kubeconfig: give(cp) } } : {}),
            gateway: { replicaCount: 2, overrides: { c2: { replicaCount: 3 } } },
        },
        secrets: mode === "istio" ? [k1, k2, ...ack.values()] : [cp],
        ack,
    };
}

function fakeCall(ack: Map<string, SecretValue>) {
    return (token: string, args: Record<string, unknown>): Record<string, unknown> => {
        if (token === "alicloud:cs/getClusterCredential:getClusterCredential") {
            return { clusterId: args.clusterId, kubeConfig: ack.get(String(args.clusterId))?.value ?? "" };
        }
        return {};
    };
}

const checked: Record<string, number> = {};

describe("robustness: secrets", function () {
    this.timeout(120_000);
    after(() =>
        console.log(
            `      secret checks: ${Object.entries(checked)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")} (kinds: ${SECRET_KINDS.join(", ")})`,
        ),
    );

    for (const mode of ["istio", "asm"] as const) {
        for (const wrap of [true, false]) {
            it(`${mode} mode, credentials given as ${wrap ? "pulumi.secret" : "plain strings"}: no plain text in any registered input or output`, async () => {
                const fleet = secretFleet(mode, wrap);
                let gateway: MeshGateway | undefined;
                const recorded = await runInProcess(
                    () => {
                        gateway = new MeshGateway(fleet.name, fleet.args);
                    },
                    { preview: false, state: fakeCloudState, call: fakeCall(fleet.ack) },
                );

                const found = recorded.flatMap((r) => leaks(JSON.stringify(r), fleet.secrets, `${r.type} ${r.name}`));
                const outputs = JSON.stringify({
                    addresses: await valueOf(gateway!.addresses),
                    serviceName: gateway!.serviceName,
                    selector: gateway!.selector,
                });
                found.push(...leaks(outputs, fleet.secrets, "component outputs"));
                expect(found, found.join("\n")).to.deep.equal([]);
                checked[`recorded-${mode}`] = (checked[`recorded-${mode}`] ?? 0) + recorded.length;

                // And the credentials are there, as secrets: every provider's kubeconfig.
                const providers = recorded.filter((r) => r.type === "pulumi:providers:kubernetes");
                expect(providers.length).to.equal(mode === "istio" ? 3 : 1);
                for (const p of providers) {
                    expect(p.secretPaths, p.name).to.include("kubeconfig");
                    expect(p.inputs.kubeconfig, p.name).to.equal("[secret]");
                }
                // The raw registrations (before our masking) carry the kubeconfig only in secret wrappers.
                expect(rawPlainKubeconfigs(recorded)).to.deep.equal([]);
            });
        }
    }

    it("control: the check sees a credential registered in plain text", async () => {
        const s = secretValue("plain kubeconfig (control)");
        const recorded = await runInProcess(() => {
            new k8s.Provider("leaky", { kubeconfig: s.value });
        });
        expect(recorded.flatMap((r) => leaks(JSON.stringify(r), [s], r.name))).to.deep.equal(["plain kubeconfig (control) in leaky"]);
        expect(rawPlainKubeconfigs(recorded)).to.deep.equal(["pulumi:providers:kubernetes leaky.kubeconfig"]);
    });

    it("the offline plan writes no credential to its files or summary", async () => {
        const istio = secretFleet("istio", false);
        const asm = secretFleet("asm", false);
        const secrets = [...istio.secrets, ...asm.secrets].filter((s) => !s.label.startsWith("ACK"));
        const plan = await planOffline([
            { name: istio.name, args: istio.args },
            { name: asm.name, args: asm.args },
        ]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-gateway-secrets-"));
        try {
            const written = writePlan(plan, dir);
            expect(written.length).to.be.greaterThan(5);
            const found = filesUnder(dir).flatMap((f) => leaks(fs.readFileSync(f, "utf8"), secrets, path.relative(dir, f)));
            found.push(...leaks(summarize(plan), secrets, "summary"));
            // plan.fleets holds the validated input itself (credentials included) for summaries;
            // it is never written, but say so if that changes.
            expect(found, found.join("\n")).to.deep.equal([]);
            checked["plan-files"] = filesUnder(dir).length;
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a refused fleet does not echo its credentials", () => {
        const fleet = secretFleet("istio", false);
        const bad = {
            ...fleet.args,
            gateway: { overrides: { c9: { replicaCount: 1 } } },
            clusters: [...fleet.args.clusters, { id: "c1", kubeconfig: fleet.secrets[0].value }],
        };
        let message = "";
        try {
            new MeshGateway("refused", bad as MeshGatewayArgs);
        } catch (e) {
            message = (e as Error).message;
        }
        expect(message).to.contain("c9");
        expect(leaks(message, fleet.secrets, "the error")).to.deep.equal([]);
    });
});

/** Inputs that hold a kubeconfig-like plain string (a leak the mask would not show as "[secret]"). */
function rawPlainKubeconfigs(recorded: RecordedResource[]): string[] {
    return recorded.flatMap((r) =>
        Object.entries(r.inputs)
            .filter(([, v]) => typeof v === "string" && v.includes("kind: Config"))
            .map(([k]) => `${r.type} ${r.name}.${k}`),
    );
}
