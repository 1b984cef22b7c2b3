// Loaded before anything else the CLI imports: tunes Node and V8 for a run that lasts a few seconds.
import * as nodeModule from "module";
import { setFlagsFromString } from "v8";

// V8's optimizing compiler (TurboFan) compiles, on background threads, the functions a run makes
// hot: here the SDK's protobuf serialisation of each registration, the YAML writer and the module
// loader's path helpers. A run of a few seconds barely uses the code it makes: on the quickstart
// `plan` it was ~0.3 s CPU, about 40 % of what the plan spends beyond loading the SDKs, and with
// it off a 40-cluster fleet's plan (~1,000 resources) took no more CPU (docs/benchmarks.md,
// "Start-up cost"). Interpreted and baseline (Sparkplug) code is unaffected. V8 checks the flag
// each time it considers optimizing a function, so setting it at run time, before anything is
// hot, covers the whole run (Node starts V8 with its flags left writable for this: v8/node
// pull request 141; tests/startup.test.ts checks that nothing gets optimized).
setFlagsFromString("--no-turbofan");

// Most of a run's CPU is compiling the code of the SDKs it loads, the same code every run. Node
// 22.1 and newer keep V8's compiled code on disk (`os.tmpdir()/node-compile-cache`, or
// NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off) and reuse it while the files are
// unchanged: ~0.3–0.5 s CPU less per run on the quickstart, and a first run with an empty cache
// costs no more than one without (docs/benchmarks.md, "Start-up cost"). Enabling it is what
// Node's docs recommend for a CLI; it never throws, and Node 20 has no such cache.
const withCompileCache = nodeModule as typeof nodeModule & { enableCompileCache?: () => unknown };
withCompileCache.enableCompileCache?.();
