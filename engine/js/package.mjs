// Finishes a wasm-pack output directory as the npm package `iam-policy-engine`:
// names it, adds the README for JavaScript users and the service catalogue
// (`catalog.bin`, loaded with `loadCatalog`) and lists them in `files`, and
// drops the glue's copies of the doc comments (the `.d.ts` has them).
//
//   node engine/js/package.mjs <wasm-pack out dir>
//
// wasm-pack takes the package name from the crate (`iam-engine`) and would
// copy the crate's README; the JavaScript package has its own name and README.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = process.argv[2];
if (!out) {
  console.error("usage: node engine/js/package.mjs <wasm-pack out dir>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const file = join(out, "package.json");
const pkg = JSON.parse(readFileSync(file, "utf8"));

pkg.name = "iam-policy-engine";
pkg.description =
  "AWS IAM policy evaluation in WebAssembly: decide a request like AWS does and get a step-by-step explanation, with TypeScript types";
pkg.keywords = ["aws", "iam", "policy", "evaluation", "webassembly", "wasm"];
pkg.files = [...new Set([...(pkg.files ?? []), "README.md", "catalog.bin"])];
// `types` and `main`/`module` come from wasm-pack; check they are there.
for (const key of ["version", "types", "main"]) {
  if (!pkg[key]) {
    console.error(`package.mjs: wasm-pack's package.json has no "${key}"`);
    process.exit(1);
  }
}
writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
// wasm-bindgen copies every doc comment into the glue as JSDoc; the same
// comments are in the `.d.ts`, which is where editors and TypeScript read
// them (the glue's first line points there), so the glue drops its copies:
// 1.5 KB less gzipped (BENCHMARKS.md, "Engine package size, second round").
const glue = join(out, pkg.main);
const code = readFileSync(glue, "utf8");
const stripped = code.replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, "");
if (!/\bexport function evaluate\b|\bexports\.evaluate\b/.test(stripped)) {
  console.error(`package.mjs: ${pkg.main} lost its functions while dropping comments`);
  process.exit(1);
}
writeFileSync(glue, stripped);
copyFileSync(join(here, "README.md"), join(out, "README.md"));
copyFileSync(join(here, "..", "data", "catalog.bin"), join(out, "catalog.bin"));
