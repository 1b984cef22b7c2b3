// Mocha root hook: fails the run when anything the suite does reads a file outside the
// repository, Go's module cache (where the upstream schemas are fetched into, see
// scripts/upstream.ts) and the temporary folder. A user clones the repository alone, so a test
// that depends on a file beside it passes only on our machines.
import { execFileSync } from "child_process";
// The module object itself (not an ES namespace copy), so that every importer sees the wrapped functions.
import fs = require("fs");
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

function goModCache(): string | undefined {
    try {
        return execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
    } catch {
        return undefined; // no Go: the schema loaders say so themselves
    }
}

const allowedRoots = [REPO_ROOT, goModCache(), os.tmpdir(), "/proc", "/dev"]
    .filter((r): r is string => r !== undefined)
    .map((r) => fs.realpathSync.native(r));

// A user's own settings, not a file beside the repository: @pulumi/pulumi loads @npmcli/git,
// which reads the git config when it is loaded.
const allowedFiles = new Set([path.join(os.homedir(), ".gitconfig")]);

const within = (abs: string, root: string): boolean => abs === root || abs.startsWith(root + path.sep);

// The folder the clone sits in. CI clones into a temporary folder, so a file beside the clone is
// also under the temporary folder: it is refused first. (A clone straight into the temporary
// folder cannot be told apart from the tests' own temporary files.)
const CLONE_PARENT = fs.realpathSync.native(path.dirname(REPO_ROOT));
export const GUARDS_CLONE_PARENT = CLONE_PARENT !== fs.realpathSync.native(os.tmpdir());

function allowed(file: string): boolean {
    const abs = path.resolve(file);
    if (GUARDS_CLONE_PARENT && within(abs, CLONE_PARENT) && !within(abs, REPO_ROOT)) return false;
    return allowedFiles.has(abs) || allowedRoots.some((root) => within(abs, root));
}

export const outsideReads = new Set<string>();

type PathArg = fs.PathLike | number;

function asPath(p: PathArg): string | undefined {
    if (typeof p === "number") return undefined; // a descriptor, already checked when opened
    return p instanceof URL ? p.pathname : p.toString();
}

/**
 * Wraps `obj[name]` so its first argument, a path, is recorded when it lies outside the allowed
 * roots. For a probe (stat, exists) only a path that exists counts: module resolution looks for
 * `node_modules` in every parent folder, and a miss there depends on nothing beside the clone.
 */
function guard<T extends object>(obj: T, name: keyof T & string, probe = false): void {
    const original = obj[name] as unknown as (...args: unknown[]) => unknown;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
        const p = asPath(args[0] as PathArg);
        if (p !== undefined && !allowed(p) && (!probe || existsUnguarded(p))) outsideReads.add(`${name}(${path.resolve(p)})`);
        return original.apply(this, args);
    };
    (obj as Record<string, unknown>)[name] = wrapped;
}

const accessUnguarded = fs.accessSync;
function existsUnguarded(p: string): boolean {
    try {
        accessUnguarded(p);
        return true;
    } catch {
        return false;
    }
}

for (const name of ["readFileSync", "openSync", "readdirSync", "readFile", "open", "readdir", "createReadStream"] as const) guard(fs, name);
for (const name of ["statSync", "lstatSync", "existsSync", "stat", "lstat"] as const) guard(fs, name, true);
for (const name of ["readFile", "open", "readdir"] as const) guard(fs.promises, name);
for (const name of ["stat", "lstat"] as const) guard(fs.promises, name, true);

export const mochaHooks = {
    afterAll(): void {
        if (outsideReads.size > 0) {
            throw new Error(
                `the suite read files outside the repository, Go's module cache and ${os.tmpdir()}:\n  ${[...outsideReads].sort().join("\n  ")}`,
            );
        }
    },
};
