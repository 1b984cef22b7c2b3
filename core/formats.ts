// The OpenAPI/Kubernetes formats the schemas use, in a module of their own: validators compiled
// ahead of time (Ajv standalone code, see scripts/gen-fleet-validator.ts) require it at run time.
import { isIPv4, isIPv6 } from "net";
import type { Format } from "ajv";

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const anything: Format = () => true;

export const KUBERNETES_FORMATS: Record<string, Format> = {
    int32: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max },
    int64: { type: "number", validate: (n: number) => Number.isInteger(n) },
    double: { type: "number", validate: () => true },
    float: { type: "number", validate: () => true },
    byte: /^[A-Za-z0-9+/]*={0,2}$/,
    // Formats Kubernetes documents but the API server does not enforce on these fields.
    ipv4: { type: "string", validate: isIPv4 },
    ipv6: { type: "string", validate: isIPv6 },
    "int-or-string": anything,
    "date-time": anything,
    uri: anything,
    quantity: anything,
    duration: anything,
    password: anything,
};
