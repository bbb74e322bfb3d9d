// Finishes a wasm-bindgen output directory as the npm package
// `iam-policy-engine`: writes its package.json, adds the README for
// JavaScript users and the service catalogue (`catalog.bin`, loaded with
// `loadCatalog`).
//
//   node engine/js/package.mjs <out dir> <web|nodejs>
//
// `web` is an ES module for browsers and bundlers, `nodejs` CommonJS for
// Node (the wasm-bindgen targets scripts/build used).
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [out, target] = process.argv.slice(2);
if (!out || !["web", "nodejs"].includes(target)) {
  console.error("usage: node engine/js/package.mjs <wasm-bindgen out dir> <web|nodejs>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const engine = join(here, "..");
const cargo = readFileSync(join(engine, "Cargo.toml"), "utf8");
const workspace = readFileSync(join(engine, "..", "Cargo.toml"), "utf8");
const version = cargo.match(/^version = "([^"]+)"/m)?.[1];
const license = workspace.match(/^license = "([^"]+)"/m)?.[1];
if (!version || !license) {
  console.error("package.mjs: cannot read the crate's version or the workspace's license");
  process.exit(1);
}

const files = ["iam_engine_bg.wasm", "iam_engine.js", "iam_engine.d.ts"];
for (const file of files) {
  if (!existsSync(join(out, file))) {
    console.error(`package.mjs: ${out} has no ${file} (run wasm-bindgen first)`);
    process.exit(1);
  }
}
const pkg = {
  name: "iam-policy-engine",
  description:
    "AWS IAM policy evaluation in WebAssembly: decide a request like AWS does and get a step-by-step explanation, with TypeScript types",
  version,
  license,
  ...(target === "web" ? { type: "module" } : {}),
  files: [...files, "README.md", "catalog.bin"],
  main: "iam_engine.js",
  types: "iam_engine.d.ts",
  ...(target === "web" ? { sideEffects: ["./snippets/*"] } : {}),
  keywords: ["aws", "iam", "policy", "evaluation", "webassembly", "wasm"],
};
writeFileSync(join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
copyFileSync(join(here, "README.md"), join(out, "README.md"));
copyFileSync(join(engine, "data", "catalog.bin"), join(out, "catalog.bin"));
