// The package schema the Node.js SDK infers (what `pulumi package get-schema` and
// `pulumi package add` see) must be complete and must not drift unnoticed. Refresh the snapshot with
//   npm run build && node bin/tests/e2e/inferSchema.js --write
import { expect } from "chai";
import * as fs from "fs";
import { SNAPSHOT_FILE, inferSchema, undocumentedProperties } from "./e2e/inferSchema";

type SchemaTypes = Record<string, { enum?: { value: string }[]; properties?: Record<string, Record<string, unknown>> }>;

describe("inferred package schema", function () {
    this.timeout(120_000);
    let inferred: Record<string, unknown>;

    before(async () => {
        // Throws with the analyzer's message when it refuses any argument type.
        inferred = await inferSchema();
    });

    it("matches the committed snapshot", () => {
        expect(inferred, "the inferred schema").to.deep.equal(JSON.parse(fs.readFileSync(SNAPSHOT_FILE, "utf8")));
    });

    it("documents every property of every type, input and output", () => {
        expect(undocumentedProperties(inferred)).to.deep.equal([]);
    });

    it("types each set of values as a Pulumi enum, cloud ids and PEM as string inputs, int-or-string as strings", () => {
        const types = inferred.types as SchemaTypes;
        const prop = (type: string, name: string) => types[`mesh-gateway:index:${type}`].properties![name];
        expect(types["mesh-gateway:index:LoadBalancerType"].enum!.map((m) => m.value)).to.deep.equal(["CLB", "NLB"]);
        expect(types["mesh-gateway:index:PortProtocol"].enum!.map((m) => m.value)).to.include("GRPC-WEB");
        expect(prop("LoadBalancerSettings", "type").$ref).to.equal("#/types/mesh-gateway:index:LoadBalancerType");
        // Not plain: an Output (a VPC created in the same program, a secret PEM) is accepted.
        for (const [type, name] of [
            ["LoadBalancerSettings", "vpcId"],
            ["NlbZone", "vswitchId"],
            ["DnsSpec", "privateZoneId"],
            ["PemCertificate", "privateKey"],
            ["CertificateSpec", "clientCaCertificate"],
        ]) {
            expect(prop(type, name), `${type}.${name}`).to.include({ type: "string" }).and.not.have.property("plain");
        }
        expect(prop("GatewayOverride", "rollingMaxSurge")).to.include({ type: "string" });
        expect(prop("HTTPGetAction", "port")).to.include({ type: "string" });
    });
});
