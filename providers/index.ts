export * from "./clusters";
