// Picking objects out of a plan or a run, and reading refusals: one set of helpers for every test file.
import { expect } from "chai";
import { ConfigError } from "../../core/errors";
import { planFleet } from "../../core/plan";
import type { KubeObject } from "../../core/render/common";
import type { PlanFiles } from "../../core/transcoding";
import type { FleetRun } from "./fleet";

/**
 * A planned object whose spec the test reads field by field. Tests read deep CRD fields
 * (VirtualService, AuthorizationPolicy, …) that have no TypeScript type in the product.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index CRD specs freely; the schemas check them
export type Obj = KubeObject & { spec: Record<string, any> };

/** The first object of a kind (and name, if given); throws with what there is when none. */
export function find<T>(objects: readonly KubeObject[], kind: string, name?: string): T & KubeObject {
    const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
    if (!o) throw new Error(`no ${kind} ${name === undefined ? "" : `${name} `}among ${objects.map((x) => x.kind).join(", ")}`);
    return o as T & KubeObject;
}

/** The only object of a kind (and name, if given): fails the test unless there is exactly one. */
export function one(objects: readonly Obj[], kind: string, name?: string): Obj {
    const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
    expect(found, `${kind} ${name ?? ""} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`).to.have.length(1);
    return found[0];
}

/** A Pulumi resource the component registered, by type token and name. */
export function resource(run: FleetRun, type: string, name: string) {
    const r = run.resources.find((x) => x.type === type && x.name === name);
    if (!r) throw new Error(`no ${type} ${name} among ${run.resources.map((x) => `${x.type}/${x.name}`).join(", ")}`);
    return r;
}

/** The ConfigError planning raises, or undefined when the fleet plans; any other error is rethrown. */
export function configError(fleet: unknown, files?: PlanFiles): ConfigError | undefined {
    try {
        planFleet(fleet, undefined, files);
    } catch (e) {
        if (e instanceof ConfigError) return e;
        throw e;
    }
    return undefined;
}

/** The lines (`path: message`) of the refusal of a fleet; empty when it plans. */
export function refusal(fleet: unknown): string[] {
    return configError(fleet)?.issues.map((i) => `${i.path}: ${i.message}`) ?? [];
}
