// Loaded before anything else the CLI imports: tunes V8 for a run that lasts a few seconds.
//
// V8's optimizing compiler (TurboFan) compiles, on a background thread, the functions a run makes
// hot: here the SDK's protobuf serialisation of each registration, the YAML writer and the module
// loader's path helpers. That CPU is paid for code a short run barely uses: after loading the
// SDKs, it was about 40 % of the CPU a quickstart `plan` spends, and turning it off made the plan
// of a 40-cluster fleet (~1,000 resources) no slower (docs/benchmarks.md, "Start-up cost").
// Interpreted and baseline (Sparkplug) code is unaffected. V8 reads the flag each time it
// considers optimizing a function, so setting it at run time, before anything is hot, applies to
// the whole run (the `v8` module allows it: Node starts V8 with its flags left writable).
import { setFlagsFromString } from "v8";

setFlagsFromString("--no-turbofan");
