// The account import through the engine's Node build: listAccountPrincipals,
// importAccount and whoCan on the generated account file of tests/account/files/,
// the scenario they give evaluated by evaluate(), and bad input coming back
// as diagnostics, never as a throw.
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
const { evaluate, importAccount, listAccountPrincipals, whoCan } = createRequire(import.meta.url)(modulePath);

const text = readFileSync(join(root, "tests/account/files/seed-7.json"), "utf8");
const files = [{ name: "seed-7.json", text }];
const role = "arn:aws:iam::111122223333:role/ci/DeployRole";

test("lists users, groups and roles", () => {
  const listing = listAccountPrincipals(files);
  assert.equal(listing.status, "read");
  assert.deepEqual(listing.diagnostics, []);
  const alice = listing.principals[0];
  assert.deepEqual(
    { kind: alice.kind, name: alice.name, arn: alice.arn, groups: alice.groups, policies: alice.policies },
    { kind: "user", name: "alice", arn: "arn:aws:iam::111122223333:user/alice", groups: ["Developers"], policies: 2 },
  );
  assert.ok(listing.principals.some((p) => p.kind === "role" && p.arn === role));
  assert.ok(listing.principals.some((p) => p.kind === "group" && p.name === "Developers"));
});

test("imports a user whose access comes through a group, and the scenario evaluates", () => {
  const answer = importAccount([text], "arn:aws:iam::111122223333:user/alice", {
    action: "s3:PutObject",
    resource: "arn:aws:s3:::dev-bucket/a.txt",
  });
  assert.equal(answer.status, "imported", JSON.stringify(answer.diagnostics));
  const { scenario } = answer;
  assert.deepEqual(
    scenario.policies.map((p) => [p.name, p.origin]),
    [
      ["Developers/AssumeDeploy", "group Developers, inline policy AssumeDeploy"],
      [
        "DeveloperAccess",
        "group Developers, attached managed policy DeveloperAccess (arn:aws:iam::111122223333:policy/DeveloperAccess, version v3)",
      ],
    ],
  );
  assert.deepEqual(scenario.request.principal_tags, { team: "dev" });
  const result = evaluate(scenario);
  assert.equal(result.status, "evaluated");
  assert.equal(result.decision, "Allow");
  const tag = result.request.context.find((c) => c.key === "aws:PrincipalTag/team");
  assert.equal(tag.origin, "derived");
  assert.equal(result.policies[1].origin, scenario.policies[1].origin);
});

test("a switched-off policy takes no part; missing policies are listed", () => {
  const carol = importAccount(files, "carol", { action: "s3:DeleteObject", resource: "arn:aws:s3:::b/k" });
  assert.equal(evaluate(carol.scenario).decision, "ExplicitDeny");
  carol.scenario.policies.find((p) => p.name === "DenyDeletes").enabled = false;
  const result = evaluate(carol.scenario);
  assert.equal(result.decision, "Allow");
  const off = result.policies.find((p) => p.name === "DenyDeletes");
  assert.equal(off.enabled, false);
  assert.match(off.not_applicable_reason, /switched off/);

  const bob = importAccount(files, "bob");
  assert.deepEqual(bob.missing.map((m) => [m.name, m.aws_managed, m.reason]), [["ReadOnlyAccess", true, "not in the file"]]);
});

test("roles are sessions; sts:AssumeRole brings the trust policy", () => {
  const session = importAccount(files, role, { session: "ci-1" });
  assert.equal(session.scenario.request.principal, "arn:aws:sts::111122223333:assumed-role/DeployRole/ci-1");
  const assume = importAccount(files, "dave", { action: "sts:AssumeRole", resource: role });
  const trust = assume.scenario.policies.find((p) => p.type === "resource");
  assert.equal(trust.origin, "trust policy of role DeployRole");
  assert.equal(evaluate(assume.scenario).decision, "ImplicitDeny");
});

test("options: null fields are absent; options of the wrong shape are all ignored", () => {
  const request = (options) => importAccount(files, "carol", options).scenario.request;
  const defaults = request(undefined);
  assert.equal(defaults.action, "s3:ListAllMyBuckets");
  assert.equal(request({ action: "s3:DeleteObject", resource: null }).action, "s3:DeleteObject");
  assert.equal(request({ action: "s3:DeleteObject", resource: null }).resource, defaults.resource);
  // One field that is not a string: every option is ignored.
  assert.deepEqual(request({ action: "s3:DeleteObject", resource: 5 }), defaults);
  assert.deepEqual(request("s3:DeleteObject"), defaults);
  assert.deepEqual(request(null), defaults);
  assert.deepEqual(request([]), defaults);
});

test("bad input comes back as diagnostics", () => {
  const syntax = importAccount([{ name: "broken.json", text: "{" }], "alice");
  assert.equal(syntax.status, "invalid");
  assert.equal(syntax.diagnostics[0].at.file, "broken.json");
  assert.equal(syntax.diagnostics[0].diagnostic.code, "json-syntax");
  const unknown = importAccount(files, "arn:aws:iam::111122223333:user/alise");
  assert.equal(unknown.status, "invalid");
  assert.equal(unknown.diagnostics[0].diagnostic.help, "did you mean `arn:aws:iam::111122223333:user/alice`?");
  assert.equal(importAccount("nope", "alice").diagnostics[0].diagnostic.code, "wrong-type");
  assert.equal(importAccount(files, 42).diagnostics[0].diagnostic.code, "wrong-type");
  assert.equal(importAccount([{ name: "n.json", text: 7 }], "x").diagnostics[0].diagnostic.code, "wrong-type");
  assert.equal(listAccountPrincipals([]).status, "read");
  assert.equal(listAccountPrincipals([{ name: "p.json", text: "[]" }]).status, "invalid");
});

test("whoCan: every user and role's decision for one request, with the deciding statement", () => {
  const answer = whoCan(files, { actions: "s3:PutObject", resource: "arn:aws:s3:::dev-bucket/app.js" });
  assert.equal(answer.status, "checked", JSON.stringify(answer.diagnostics));
  const listing = listAccountPrincipals(files);
  const principals = listing.principals.filter((p) => p.kind !== "group");
  assert.deepEqual(answer.rows.map((r) => r.arn), principals.map((p) => p.arn));
  const row = (name) => answer.rows.find((r) => r.name === name);
  // alice: allowed only through her group.
  assert.equal(row("alice").decision, "Allow");
  assert.equal(row("alice").stage, "identity_policies");
  assert.deepEqual(row("alice").deciding.map((d) => d.policy), ["DeveloperAccess"]);
  assert.match(row("alice").deciding[0].origin, /^group Developers, attached managed policy DeveloperAccess/);
  // bob: his boundary withholds the allow; ReadOnlyAccess is not in the file.
  assert.equal(row("bob").decision, "ImplicitDeny");
  assert.equal(row("bob").stage, "permissions_boundary");
  assert.deepEqual(row("bob").missing, ["ReadOnlyAccess"]);
  // The role is a session of the role.
  assert.equal(row("DeployRole").kind, "role");
  assert.equal(row("DeployRole").principal, "arn:aws:sts::111122223333:assumed-role/DeployRole/simulated-session");
  const { allow, explicit_deny, implicit_deny, invalid } = answer.counts;
  assert.equal(allow + explicit_deny + implicit_deny + invalid, answer.rows.length);
  assert.equal(allow, answer.rows.filter((r) => r.decision === "Allow").length);

  // A row's full explanation: importAccount with the same request, then evaluate.
  const bob = importAccount(files, row("bob").arn, { action: "s3:PutObject", resource: "arn:aws:s3:::dev-bucket/app.js" });
  assert.equal(evaluate(bob.scenario).decision, row("bob").decision);
});

test("whoCan: a resource policy for everyone, chosen principals, a group as its members, context", () => {
  const answer = whoCan([text], {
    actions: ["s3:DeleteObject", "s3:GetObject"],
    resource: "arn:aws:s3:::dev-bucket/a",
    resource_policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Keep", Effect: "Deny", Principal: "*", Action: "s3:DeleteObject", Resource: "*" }],
    }),
    principals: ["arn:aws:iam::111122223333:group/teams/Developers", "carol"],
    context: { "aws:SourceIp": "203.0.113.7" },
  });
  assert.equal(answer.status, "checked", JSON.stringify(answer.diagnostics));
  assert.equal(answer.rows[0].name, "alice");
  assert.ok(answer.rows.every((r) => r.kind === "user"));
  const carolDelete = answer.rows.find((r) => r.name === "carol" && r.action === "s3:DeleteObject");
  assert.equal(carolDelete.decision, "ExplicitDeny");
  assert.deepEqual(carolDelete.deciding.map((d) => d.policy).sort(), ["DenyDeletes", "ResourcePolicy"]);
  const carolGet = answer.rows.find((r) => r.name === "carol" && r.action === "s3:GetObject");
  assert.equal(carolGet.decision, "Allow");

  const roles = whoCan(files, { actions: "s3:GetObject", kind: "role" });
  assert.ok(roles.rows.length > 0 && roles.rows.every((r) => r.kind === "role"));

  for (const bad of [undefined, "s3:GetObject", { actions: [] }, { actions: "nocolon" }, { actions: "s3:GetObject", principals: ["nobody"] }]) {
    const answer = whoCan(files, bad);
    assert.equal(answer.status, "invalid", JSON.stringify(bad));
    assert.equal(typeof answer.diagnostics.at(-1).diagnostic.message, "string");
  }
  assert.equal(whoCan("nope", { actions: "s3:GetObject" }).diagnostics[0].diagnostic.code, "wrong-type");
});
