// Every feature's refusals, in one list the runner walks.
import { cases as asm, warnings as asmWarnings } from "./asm.cases";
import type { Case } from "./case";
import { cases as certificates } from "./certificates.cases";
import { cases as dns } from "./dns.cases";
import { cases as egress } from "./egress.cases";
import { cases as fleet } from "./fleet.cases";
import { cases as gateway } from "./gateway.cases";
import { cases as ingressClass } from "./ingressClass.cases";
import { cases as inputs } from "./inputs.cases";
import { cases as loadBalancer } from "./loadBalancer.cases";
import { cases as observability } from "./observability.cases";
import { cases as routing, warnings as routingWarnings } from "./routing.cases";
import { cases as security, warnings as securityWarnings } from "./security.cases";
import { cases as service } from "./service.cases";
import { cases as transcoding } from "./transcoding.cases";

export const CASES_BY_FEATURE: Record<string, Case[]> = {
    fleet,
    asm,
    gateway,
    service,
    loadBalancer,
    routing,
    egress,
    dns,
    certificates,
    security,
    observability,
    ingressClass,
    transcoding,
    inputs,
};

export const ALL_CASES: Case[] = Object.values(CASES_BY_FEATURE).flat();

/** Fleets that plan, with a warning whose line starts as given. */
export const WARNING_CASES: Case[] = [...routingWarnings, ...asmWarnings, ...securityWarnings];
