// evaluateMany and explainRequest through the engine's Node build: every
// request of a suite decided compactly, one explained in full on demand,
// wildcard actions expanded from a list of known actions, and bad input
// back as diagnostics, never as a throw.
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
const { evaluate, evaluateMany, explainRequest } = createRequire(import.meta.url)(modulePath);

const corpus = (path) => JSON.parse(readFileSync(join(root, "tests/corpus", path), "utf8"));

test("decides every request of a list, with its expectation", () => {
  const suite = corpus("requests/01-list-with-names.json");
  const answer = evaluateMany(suite);
  assert.equal(answer.status, "evaluated", JSON.stringify(answer).slice(0, 400));
  assert.deepEqual([answer.passed, answer.failed, answer.unchecked], [3, 0, 0]);
  assert.deepEqual(
    answer.results.map((r) => [r.index, r.name, r.decision, r.passed]),
    [
      [0, "reads a report", "Allow", true],
      [1, "cannot write a report", "ImplicitDeny", true],
      [2, "cannot read a secret", "ExplicitDeny", true],
    ],
  );
  assert.equal(answer.results[2].determining[0].statement, "NoSecrets");
  assert.equal(answer.results[0].expanded_from, null);
  // Compact: no trace in the results.
  assert.equal(answer.results[0].steps, undefined);
});

test("a matrix expands in order and a failing expectation is counted", () => {
  const suite = corpus("requests/03-matrices-and-deny.json");
  suite.matrix[1].expect.decision = "Allow";
  const answer = evaluateMany(JSON.stringify(suite));
  assert.equal(answer.status, "evaluated");
  assert.equal(answer.results.length, 1 + 2 + 4);
  assert.deepEqual(
    answer.results.slice(3).map((r) => [r.action, r.resource.slice(13), r.decision, r.passed]),
    [
      ["s3:PutObject", "logs/a", "ExplicitDeny", false],
      ["s3:PutObject", "data/b", "ImplicitDeny", false],
      ["s3:DeleteObject", "logs/a", "ImplicitDeny", false],
      ["s3:DeleteObject", "data/b", "ImplicitDeny", false],
    ],
  );
  assert.equal(answer.failed, 4);
});

test("explainRequest gives one request's whole explanation, as evaluate does", () => {
  const suite = corpus("requests/01-list-with-names.json");
  const explained = explainRequest(suite, 2);
  assert.equal(explained.status, "evaluated");
  assert.equal(explained.decision, "ExplicitDeny");
  assert.equal(explained.steps.length, 7);
  const { requests, ...rest } = suite;
  const { name, expect, ...request } = requests[2];
  assert.deepEqual(explained, evaluate({ ...rest, request }));
  const missing = explainRequest(suite, 3);
  assert.equal(missing.status, "invalid");
  assert.equal(missing.diagnostics[0].code, "no-such-request");
});

test("wildcard actions expand from the known actions, and without them say what to load", () => {
  const suite = {
    policies: [{ name: "Reads", type: "identity", document: { Version: "2012-10-17",
      Statement: { Effect: "Allow", Action: "s3:Get*", Resource: "*" } } }],
    matrix: { principals: ["arn:aws:iam::111122223333:user/alice"], actions: ["s3:*Object"],
              resources: ["arn:aws:s3:::b/k"], expect: { decision: "Deny" } },
  };
  const without = evaluateMany(suite);
  assert.equal(without.status, "invalid");
  assert.equal(without.diagnostics[0].code, "wildcard-needs-catalogue");
  assert.match(without.diagnostics[0].help, /known actions/);
  assert.ok(without.diagnostics[0].line >= 1);
  const answer = evaluateMany(suite, ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances"]);
  assert.equal(answer.status, "evaluated");
  assert.deepEqual(answer.results.map((r) => [r.action, r.expanded_from, r.decision]), [
    ["s3:GetObject", "s3:*Object", "Allow"],
    ["s3:PutObject", "s3:*Object", "ImplicitDeny"],
  ]);
  assert.deepEqual([answer.passed, answer.failed], [1, 1]);
});

test("bad input is diagnostics, never a throw", () => {
  for (const [input, actions, code] of [
    ["{", undefined, "json-syntax"],
    [42, undefined, "wrong-type"],
    [{ policies: [] }, undefined, "missing-field"],
    [corpus("requests/01-list-with-names.json"), "s3:GetObject", "wrong-type"],
    [corpus("requests/01-list-with-names.json"), [1, 2], "wrong-type"],
  ]) {
    const answer = evaluateMany(input, actions);
    assert.equal(answer.status, "invalid", JSON.stringify(input).slice(0, 80));
    assert.equal(answer.diagnostics[0].code, code);
  }
});

test("a wildcard entry of requests takes an expectation per action", () => {
  const suite = {
    policies: [{ name: "Reads", type: "identity", document: { Version: "2012-10-17",
      Statement: { Sid: "Get", Effect: "Allow", Action: "s3:GetObject", Resource: "*" } } }],
    requests: [{ principal: "arn:aws:iam::111122223333:user/alice", action: "s3:Get*", resource: "arn:aws:s3:::b/k",
                 expect: { decision: "Deny" },
                 expectations: [{ action: "s3:getobject", expect: { decision: "Allow" } },
                                { action: "s3:GetObjectAcl", expect: null }] }],
  };
  const answer = evaluateMany(suite, ["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectTagging", "s3:PutObject"]);
  assert.equal(answer.status, "evaluated", JSON.stringify(answer).slice(0, 400));
  assert.deepEqual(answer.results.map((r) => [r.action, r.expect?.decision ?? null, r.passed]), [
    ["s3:GetObject", "Allow", true],
    ["s3:GetObjectAcl", null, null],
    ["s3:GetObjectTagging", "Deny", true],
  ]);
  assert.deepEqual([answer.passed, answer.failed, answer.unchecked], [2, 0, 1]);
  suite.requests[0].expectations[0].action = "s3:PutObject";
  const outside = evaluateMany(suite, ["s3:GetObject"]);
  assert.equal(outside.status, "invalid");
  assert.equal(outside.diagnostics[0].code, "expectation-outside-entry");
});

test("Deny is met by either kind of deny, in the request's expect too", () => {
  const suite = corpus("requests/06-single-request-expects-deny.json");
  const answer = evaluateMany(suite);
  assert.equal(answer.status, "evaluated");
  assert.deepEqual(answer.results.map((r) => [r.decision, r.expect.decision, r.passed]), [["ExplicitDeny", "Deny", true]]);
  suite.request.action = "s3:PutObject";
  const allowed = evaluateMany(suite);
  assert.deepEqual([allowed.results[0].decision, allowed.results[0].passed, allowed.failed], ["Allow", false, 1]);
  // The single-request path reads it as well.
  assert.equal(evaluate(suite).status, "evaluated");
});

test("a matrix's principals carry their tags into their requests", () => {
  const suite = corpus("requests/07-matrix-principal-tags.json");
  const answer = evaluateMany(suite);
  assert.equal(answer.status, "evaluated", JSON.stringify(answer).slice(0, 400));
  assert.deepEqual(
    answer.results.map((r) => [r.principal.split("/")[1], r.resource.split("/")[1], r.decision]),
    [
      ["alice", "apollo", "Allow"],
      ["alice", "gemini", "ImplicitDeny"],
      ["bob", "apollo", "ImplicitDeny"],
      ["bob", "gemini", "Allow"],
      ["carol", "apollo", "ImplicitDeny"],
      ["carol", "gemini", "ImplicitDeny"],
    ],
  );
  assert.equal(answer.failed, 0);
  // The explanation of alice's request shows the tag the engine derived.
  const explained = explainRequest(suite, 0);
  assert.equal(explained.decision, "Allow");
  assert.ok(JSON.stringify(explained).includes("aws:PrincipalTag/project"));
  // Without the tags, nobody reads anything.
  suite.matrix.principals = suite.matrix.principals.map((p) => p.arn ?? p);
  const untagged = evaluateMany(suite);
  assert.deepEqual(untagged.results.map((r) => r.decision).filter((d) => d === "Allow"), []);
});
