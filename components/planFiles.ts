// Reads the files a fleet config names (gRPC descriptor sets), at plan time, for the pure core.
// Relative paths are relative to the working directory, which Pulumi sets to the project
// directory when it runs a program; the offline plan rebases them on the config file's folder.
import * as fs from "fs";
import { descriptorFilesOf, type PlanFile, type PlanFiles } from "../core/transcoding";

export type { PlanFiles } from "../core/transcoding";

/** Each file the config names: its bytes, or why it could not be read (refused by validation with its field path). */
export function readPlanFiles(input: unknown): PlanFiles {
    const files = new Map<string, PlanFile>();
    for (const path of descriptorFilesOf(input)) {
        if (files.has(path)) continue;
        try {
            files.set(path, { bytes: new Uint8Array(fs.readFileSync(path)) });
        } catch (e) {
            const err = e as NodeJS.ErrnoException;
            files.set(path, { error: err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "it is a directory" : err.message });
        }
    }
    return files;
}
