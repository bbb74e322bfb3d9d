// The engine's Node build: `validate` with and without the service
// catalogue (`loadCatalog` with the package's catalog.bin).
//
//   node --test tests/node/            (after scripts/build)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? "target";
const modulePath =
  process.env.IAM_ENGINE_NODE ??
  join(isAbsolute(targetDir) ? targetDir : join(root, targetDir), "engine-node", "iam_engine.js");
const { validate, loadCatalog } = createRequire(import.meta.url)(modulePath);

const typo = JSON.stringify(
  {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["s3:GetObjcet", "s3:Get*"], Resource: "*" }],
  },
  null,
  2,
);

test("the catalogue is shipped in the package and listed in its files", () => {
  const dir = dirname(modulePath);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  assert.ok(pkg.files.includes("catalog.bin"), JSON.stringify(pkg.files));
  assert.ok(readFileSync(join(dir, "catalog.bin")).length > 100_000);
});

test("validate works without the catalogue, and gains its findings once loaded", () => {
  const before = validate(typo, "identity");
  assert.ok(!before.some((d) => d.code === "unknown-action"), JSON.stringify(before));
  const redundant = before.find((d) => d.code === "redundant-action");
  assert.equal(redundant.severity, "suggestion");
  assert.equal(redundant.aws_issue_code, "REDUNDANT_ACTION");

  const bad = loadCatalog(new Uint8Array([1, 2, 3]));
  assert.equal(bad.status, "invalid");
  assert.equal(bad.diagnostics[0].code, "invalid-catalog");
  assert.equal(loadCatalog("not bytes").diagnostics[0].code, "wrong-type");

  const bytes = new Uint8Array(readFileSync(join(dirname(modulePath), "catalog.bin")));
  const loaded = loadCatalog(bytes);
  assert.equal(loaded.status, "loaded", JSON.stringify(loaded));
  assert.ok(loaded.catalog.actions > 10_000, JSON.stringify(loaded.catalog));
  assert.match(loaded.catalog.data_date, /^\d{4}-\d{2}-\d{2}$/);

  const after = validate(typo, "identity");
  const d = after.find((x) => x.code === "unknown-action");
  assert.ok(d, JSON.stringify(after));
  assert.equal(d.aws_issue_code, "INVALID_ACTION");
  assert.equal(d.line, typo.slice(0, d.span.start).split("\n").length);
  assert.equal(typo.slice(d.span.start, d.span.end), '"s3:GetObjcet"');
  assert.match(d.learn_more, /access-analyzer-reference-policy-checks\.html#/);
  const fixed = d.fix.edits.reduceRight(
    (text, e) => text.slice(0, e.span.start) + e.replacement + text.slice(e.span.end),
    typo,
  );
  assert.ok(fixed.includes('"s3:GetObject"'), fixed);
});

test("finer kinds have their own size quota", () => {
  const actions = Array.from({ length: 150 }, (_, i) => `s3:GetObject${"x".repeat(i % 7)}${i}`);
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
  const size = (kind) => validate(policy, kind).filter((d) => d.code === "size-limit");
  const chars = policy.replace(/\s/g, "").length;
  assert.ok(chars > 2048 && chars < 6144, `${chars} characters`);
  assert.equal(size("identity").length, 0);
  assert.match(size("inline-user")[0].message, /AWS allows 2048 for the inline policies of a user/);
});
