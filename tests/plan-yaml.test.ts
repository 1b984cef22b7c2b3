// The plan's own YAML writer against the `yaml` library it stands in for: wherever it decides,
// its text is the library's, byte for byte; on the examples' plans it decides for every object
// (one left to the library would cost the library's first use), so the files cost what docs/benchmarks.md says.
import { expect } from "chai";
import fc from "fast-check";
import * as path from "path";
import YAML from "yaml";
import { loadFleets, planOffline } from "../offline/plan";
import { PLAN_YAML_OPTIONS, planYaml } from "../offline/planYaml";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLES = ["asm-ingress-two-clusters", "istio-ingress-two-clusters", "egress-gateway"];
const library = (v: unknown) => YAML.stringify(v, PLAN_YAML_OPTIONS);

// Strings YAML 1.1 reads as something else, strings the spec forbids plain, quote mixes,
// and strings long enough to be folded.
const TRICKY = [
    "",
    "on",
    "Off",
    "y",
    "N",
    "yes",
    "TRUE",
    "null",
    "~",
    "<<",
    "0",
    "080",
    "0x1F",
    "0b101",
    "1_000",
    "1.31",
    ".5",
    "1e3",
    ".inf",
    "12:30",
    "12:30:05.5",
    "2001-12-14",
    "2001-12-14 21:59:43.10 -5",
    "-",
    "- x",
    "-x",
    "?",
    "? x",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "trailing ",
    "colon:",
    " leading",
    "@type",
    "`tick",
    "%percent",
    "---",
    "...",
    "!tag",
    "&anchor",
    "*alias",
    "|pipe",
    ">fold",
    "[x]",
    "{x}",
    ",comma",
    "#hash",
    'say "hi"',
    "it's",
    `it's "both"`,
    '{"terminationDrainDuration":"25s"}',
    "back\\slash",
    "1024 65000",
    "line\nbreak",
    "tab\there",
    "naïve",
    "istio-ingress.istio-system.svc.cluster.local",
    "x".repeat(70),
    "x".repeat(21),
    "x".repeat(59),
    "word ".repeat(12).trim(),
    "istio-ingress-internal.istio-system.svc.cluster.local",
    "type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor",
    "a b".repeat(8),
    "on".repeat(11),
    "word ".repeat(20).trim(),
    `"${"q".repeat(60)}"`,
];

const scalarArb = fc.oneof(
    fc.constantFrom(...TRICKY),
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -100000, max: 100000 }),
    fc.constantFrom(0.5, -0, 1e21, Number.MAX_SAFE_INTEGER + 2),
    fc.boolean(),
    fc.constant(null),
);
const keyArb = fc.oneof(
    fc.constantFrom(...TRICKY),
    fc.string({ maxLength: 8 }),
    fc.constantFrom("apiVersion", "kind", "metadata", "k".repeat(49), "k".repeat(51), "k".repeat(62)),
    fc.constantFrom("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-health-check-connect-port"),
);
const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalarArb, tie("array"), tie("object")),
    array: fc.array(tie("tree"), { maxLength: 4 }),
    object: fc.dictionary(keyArb, tie("tree"), { maxKeys: 5 }),
}));
const documentArb = fc.dictionary(keyArb, tree, { minKeys: 1, maxKeys: 6 });

describe("plan YAML writer", () => {
    it("writes what the yaml library writes, or leaves the value to it", () => {
        let decided = 0;
        fc.assert(
            fc.property(documentArb, (doc) => {
                const text = planYaml(doc);
                if (text === undefined) return;
                decided++;
                expect(text).to.equal(library(doc));
            }),
            { numRuns: 3000, seed: 20261202, verbose: 0 },
        );
        // The property must not hold only because the writer declined everything.
        expect(decided).to.be.greaterThan(500);
    });

    it("writes each tricky string as the library does, as a key and as a value, at several depths", () => {
        for (const s of TRICKY) {
            const long = "k".repeat(55);
            const docs = [{ [s]: 1 }, { k: s }, { a: { b: [s, { [s]: s }] } }, { a: [[s, [s]], []], b: {} }, { [long]: s, [s]: null }];
            for (const doc of [...docs, { a: null }, { a: { b: null, c: null } }, [s]]) {
                const text = planYaml(doc);
                if (text !== undefined) expect(text, JSON.stringify(doc)).to.equal(library(doc));
            }
        }
    });

    for (const example of EXAMPLES) {
        it(`writes the ${example} plan's objects as the library does, and decides for all of them`, async () => {
            const plan = await planOffline(loadFleets(path.join(ROOT, "examples", example, "Pulumi.dev.yaml")));
            const objects = Object.values(plan.objects).flat();
            const left: string[] = [];
            for (const o of objects) {
                const text = planYaml(o);
                if (text === undefined) left.push(`${o.kind}/${o.metadata.name}`);
                else expect(text, `${o.kind}/${o.metadata.name}`).to.equal(library(o));
            }
            expect(left, "left to the library").to.deep.equal([]);
        });
    }
});
