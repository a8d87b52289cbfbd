/**
 * `npm run test:package`: the package as a user gets it. Packs the library, makes a program outside the
 * repository from the `pulumi new` template (examples/pulumi-new), installs the tarball there and checks
 * what a user meets: the files shipped, type-checking under the template's own tsconfig (and under the
 * older `moduleResolution: node`), the entry points, and that @pulumi/alicloud is needed only for
 * `istio-multicluster/alicloud`. Installs come from npm's cache when it holds the versions (`npm ci` fills
 * it), else from the registry. Prints `N passed, N failed` and exits non-zero on any failure.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { packageSchema, PackageSchema } from "../../lib/provider/schema";

const root = path.join(__dirname, "..", "..");
const ourPackage = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };
/** The versions this repository tests with, so the installs hit the cache `npm ci` filled. */
const pinned = (name: string) => `${name}@${ourPackage.devDependencies[name]}`;

function run(command: string, args: string[], cwd: string): string {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" } });
}

/** Runs a command that must fail, returning what it printed. */
function runFailing(command: string, args: string[], cwd: string): string {
    try {
        run(command, args, cwd);
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        return `${e.stdout ?? ""}${e.stderr ?? ""}`;
    }
    throw new Error(`${command} ${args.join(" ")} succeeded`);
}

const checks: { name: string; check: () => void }[] = [];
const check = (name: string, body: () => void) => checks.push({ name, check: body });

const work = mkdtempSync(path.join(tmpdir(), "istio-multicluster-package-"));
const program = path.join(work, "mesh-program");
let tarball = "";

check("packs the build, LICENSE, CHANGELOG and README, and no sources, maps or tests", () => {
    run("npm", ["run", "build", "--silent"], root);
    const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root)) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, packed.filename);
    const files = packed.files.map((f) => f.path);
    for (const required of ["LICENSE", "CHANGELOG.md", "README.md", "package.json", "build/lib/index.js", "build/lib/index.d.ts", "build/lib/alicloud/index.js", "build/lib/testing/index.js", "build/lib/provider/main.js", "build/lib/mesh/meshConfig.schema.json"]) {
        assert.ok(files.includes(required), `${required} is in the package`);
    }
    const stray = files.filter((f) => f.endsWith(".map") || f.endsWith(".ts") !== f.endsWith(".d.ts") || f.startsWith("test/") || f.startsWith("lib/"));
    assert.deepEqual(stray, [], "no source maps, TypeScript sources or tests");
});

check("the README's relative links point at files in the package", () => {
    const packaged = path.join(work, "unpacked");
    run("tar", ["-xzf", tarball, "-C", work], work);
    cpSync(path.join(work, "package"), packaged, { recursive: true });
    const readme = readFileSync(path.join(packaged, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((href) => !/^[a-z]+:/.test(href));
    assert.ok(links.length > 0, "the README links to files");
    assert.deepEqual(links.filter((href) => !existsSync(path.join(packaged, href))), [], "links to files the package does not hold");
});

check("a program from the pulumi new template installs the tarball, without @pulumi/alicloud", () => {
    cpSync(path.join(root, "examples", "pulumi-new"), program, { recursive: true });
    for (const file of readdirSync(program)) {
        const at = path.join(program, file);
        writeFileSync(at, readFileSync(at, "utf8").replaceAll("${PROJECT}", "mesh-program").replaceAll("${DESCRIPTION}", "A mesh"));
    }
    run("npm", ["install", "--prefer-offline", "--no-package-lock", tarball, ...["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/tls", "typescript", "@types/node"].map(pinned)], program);
    assert.ok(existsSync(path.join(program, "node_modules", "istio-multicluster", "package.json")));
    assert.ok(!existsSync(path.join(program, "node_modules", "@pulumi", "alicloud")), "@pulumi/alicloud is not installed with it");
});

check("the template's unit test passes against the shipped stand-in cloud (istio-multicluster/testing)", () => {
    run("npm", ["install", "--prefer-offline", "--no-package-lock", ...["mocha", "@types/mocha", "tsx"].map(pinned)], program);
    const out = run("npm", ["test", "--silent"], program);
    assert.match(out, /1 passing/);
});

check("istio-mesh-plan plans the program from a stack file with secure: values, and says what is wrong in one line", () => {
    const cluster = (name: string, network: string, address: string, ciphertext: string) => ({
        name, role: "primary", network, kubeconfig: { secure: ciphertext }, apiServer: `https://${address}:6443`, eastWestGateway: { externalIPs: [address] },
    });
    const stackFile = (clusters: object[]) =>
        ["encryptionsalt: v1:c2FsdA==:dmVyaWZ5", "config:", `  mesh-program:mesh: ${JSON.stringify({ meshId: "mesh1", networkLink: { mode: "none" }, clusters })}`, ""].join("\n");
    writeFileSync(path.join(program, "Pulumi.dev.yaml"), stackFile([cluster("cluster1", "network1", "192.0.2.10", "v1:Y2lwaGVyMQ=="), cluster("cluster2", "network2", "192.0.2.20", "v1:Y2lwaGVyMg==")]));
    const printed = run(path.join(program, "node_modules", ".bin", "istio-mesh-plan"), [".", "--stack", "dev"], program);
    assert.match(printed, /plan written to plan-out\/mesh-program\/dev\//);
    const plan = path.join(program, "plan-out", "mesh-program", "dev");
    assert.match(readFileSync(path.join(plan, "summary.md"), "utf8"), /^# Plan: mesh-program, stack dev\n/);
    assert.match(readFileSync(path.join(plan, "values", "mesh-cluster2-istiod.yaml"), "utf8"), /clusterName: cluster2/);
    const remoteSecret = readdirSync(path.join(plan, "objects")).find((f) => f.includes("watches"))!;
    assert.match(readFileSync(path.join(plan, "objects", remoteSecret), "utf8"), /stringData: "\[secret\]"/);
    writeFileSync(path.join(program, "Pulumi.bad.yaml"), stackFile([cluster("cluster1", "network1", "192.0.2.10", "v1:Y2lwaGVyMQ=="), cluster("cluster1", "network1", "192.0.2.10", "v1:Y2lwaGVyMQ==")]));
    const refused = runFailing(path.join(program, "node_modules", ".bin", "istio-mesh-plan"), [".", "--stack", "bad"], program);
    assert.match(refused, /mesh\.clusters\[1\]\.name: /);
    assert.doesNotMatch(refused, /^\s+at /m, "no stack trace");
});

check("the program and its test type-check under the template's tsconfig (module nodenext, no skipLibCheck)", () => {
    run(path.join(program, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "."], program);
});

check("the README's program with Inputs type-checks the same way", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Your own program"));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(snippet, "the README's section has a TypeScript program");
    writeFileSync(path.join(program, "own.ts"), snippet);
    run(path.join(program, "node_modules", ".bin", "tsc"), ["--noEmit", "--strict", "--noImplicitReturns", "--target", "es2020", "--module", "nodenext", "--moduleResolution", "nodenext", "own.ts"], program);
});

check("and under moduleResolution node, as older programs have it", () => {
    run(path.join(program, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", ".", "--module", "commonjs", "--moduleResolution", "node10", "--ignoreDeprecations", "5.0"], program);
});

check("loading the package loads no @pulumi/alicloud", () => {
    const loaded = run(process.execPath, ["-e", 'require("istio-multicluster"); console.log(Object.keys(require.cache).filter((f) => f.includes("@pulumi/alicloud")).length)'], program);
    assert.equal(loaded.trim(), "0");
});

check("its provider plugin, pulumi-resource-istio-multicluster, starts from the bin and answers the package schema at the package's version", () => {
    // What the Pulumi CLI does with a plugin: start it, read its port, ask for the schema over gRPC.
    const askSchema = `
        const { spawn } = require("node:child_process");
        const sdk = require("node:path").dirname(require.resolve("@pulumi/pulumi/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
        const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
        const { GetSchemaRequest } = require("@pulumi/pulumi/proto/provider_pb");
        const plugin = spawn("node_modules/.bin/pulumi-resource-istio-multicluster", [], { stdio: ["ignore", "pipe", "inherit"] });
        plugin.stdout.once("data", (port) => {
            new ResourceProviderClient("127.0.0.1:" + String(port).trim(), grpc.credentials.createInsecure()).getSchema(new GetSchemaRequest(), (err, res) => {
                plugin.kill();
                if (err) { console.error(err.message); process.exit(1); }
                process.stdout.write(res.getSchema());
            });
        });`;
    const schema = JSON.parse(run(process.execPath, ["-e", askSchema], program)) as PackageSchema;
    assert.equal(schema.name, "istio-multicluster");
    assert.equal(schema.version, ourPackage.version);
    // The whole schema, the building blocks' args included: the packed build carries their args schema.
    assert.deepEqual(schema, packageSchema(ourPackage.version));
});

check("istio-multicluster/testing exports the stand-in cloud and loads no @pulumi/alicloud either", () => {
    const loaded = run(process.execPath, ["-e", 'const t = require("istio-multicluster/testing"); console.log(Object.keys(t).sort().join(","), Object.keys(require.cache).filter((f) => f.includes("@pulumi/alicloud")).length)'], program);
    assert.equal(loaded.trim(), "StandInCloud,setStandInMocks 0");
});

check("only the entry points are importable: deep paths into the build are refused", () => {
    const out = runFailing(process.execPath, ["-e", 'require("istio-multicluster/build/lib/index.js")'], program);
    assert.match(out, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

check("istio-multicluster/alicloud says it needs @pulumi/alicloud, then type-checks and loads once it is installed", () => {
    const missing = runFailing(process.execPath, ["-e", 'require("istio-multicluster/alicloud")'], program);
    assert.match(missing, /Cannot find module '@pulumi\/alicloud'/);
    run("npm", ["install", "--prefer-offline", "--no-package-lock", pinned("@pulumi/alicloud")], program);
    writeFileSync(
        path.join(program, "ack.ts"),
        [
            'import * as alicloud from "@pulumi/alicloud";',
            'import { AckCluster, AckClusterArgs } from "istio-multicluster/alicloud";',
            "export function cluster(provider: alicloud.Provider, args: Omit<AckClusterArgs, \"provider\">): AckCluster {",
            '    return new AckCluster(args.clusterName, { ...args, provider });',
            "}",
            "",
        ].join("\n"),
    );
    for (const resolution of [["--module", "nodenext", "--moduleResolution", "nodenext"], ["--module", "commonjs", "--moduleResolution", "node10", "--ignoreDeprecations", "5.0"]]) {
        run(path.join(program, "node_modules", ".bin", "tsc"), ["--noEmit", "--strict", "--target", "es2020", ...resolution, "ack.ts", "index.ts"], program);
    }
    const exported = run(process.execPath, ["-e", 'console.log(Object.keys(require("istio-multicluster/alicloud")).sort().join(","))'], program);
    assert.equal(exported.trim(), "AckCluster,ClusterNetworkLink,linkedCluster");
});

let failed = 0;
for (const { name, check: body } of checks) {
    const started = Date.now();
    try {
        body();
        console.log(`  ✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
        failed++;
        console.log(`  ✘ ${name}\n    ${String((error as Error).message ?? error).split("\n").join("\n    ")}`);
        const e = error as { stdout?: string; stderr?: string };
        if (e.stdout || e.stderr) {
            console.log(`    ${`${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n    ")}`);
        }
    }
}
rmSync(work, { recursive: true, force: true });
console.log(`\n${checks.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
