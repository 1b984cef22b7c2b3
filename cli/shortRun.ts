// Loaded before anything else the CLI imports: tunes V8 for a run that lasts a few seconds.
//
// V8's optimizing compiler (TurboFan) compiles, on background threads, the functions a run makes
// hot: here the SDK's protobuf serialisation of each registration, the YAML writer and the module
// loader's path helpers. A run of a few seconds barely uses the code it makes: on the quickstart
// `plan` it was ~0.3 s CPU, about 40 % of what the plan spends beyond loading the SDKs, and with
// it off a 40-cluster fleet's plan (~1,000 resources) took no more CPU (docs/benchmarks.md,
// "Start-up cost"). Interpreted and baseline (Sparkplug) code is unaffected. V8 checks the flag
// each time it considers optimizing a function, so setting it at run time, before anything is
// hot, covers the whole run (Node starts V8 with its flags left writable for this: v8/node
// pull request 141; tests/startup.test.ts checks that nothing gets optimized).
import { setFlagsFromString } from "v8";

setFlagsFromString("--no-turbofan");
