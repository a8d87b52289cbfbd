import { ConfigMap, EngineEvent, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { ClusterConfig, MeshConfig } from "../../lib";
import { LocalCluster } from "./clusters";
import { KeyAndCert, makeCa } from "./pki";

/**
 * The e2e stacks: `examples/existing-clusters`, its own program unchanged, under stack configs for three
 * topologies over the local clusters. Settings a user without running nodes would choose too: Helm
 * releases that do not wait for pods (`istio.skipAwait`), webhooks that fail open while no istiod answers
 * (`istio.validationFailurePolicy: Ignore`), east-west gateways on fixed addresses (`externalIPs`), and
 * trust material signed outside Pulumi (`trust.mode: external`).
 */

export const repoRoot = path.resolve(__dirname, "..", "..");
export const exampleDir = path.join(repoRoot, "examples", "existing-clusters");
export const project = "existing-clusters";

export type Topology = "multi-primary" | "primary-remote" | "flat";

/** Documentation addresses (RFC 5737): Services accept them as externalIPs; nothing is ever sent there. */
const gatewayAddress = (i: number) => `192.0.2.${11 + i}`;

/** One root and an intermediate per cluster, made once per run; the mesh imports them (`external`). */
export interface MeshTrust {
    root: KeyAndCert;
    intermediates: Record<string, KeyAndCert>;
}

export async function makeTrust(clusters: string[]): Promise<MeshTrust> {
    const root = await makeCa("mesh-e2e root", undefined, "mesh-e2e");
    const intermediates: Record<string, KeyAndCert> = {};
    for (const c of clusters) {
        intermediates[c] = await makeCa(`mesh-e2e ${c} intermediate`, root, "mesh-e2e");
    }
    return { root, intermediates };
}

/** The non-secret part of the `mesh` config; kubeconfigs and CA keys are set as secrets afterwards. */
export function meshConfig(topology: Topology, clusters: LocalCluster[], chartRepository: string, trust: MeshTrust, options: { adoptIn?: string } = {}): MeshConfig {
    const role = (i: number): ClusterConfig["role"] => (topology === "primary-remote" && i > 0 ? "remote" : "primary");
    const network = (i: number) => (topology === "flat" ? "network1" : topology === "primary-remote" ? `network${i === 1 ? 2 : 1}` : `network${i + 1}`);
    const primaries = clusters.filter((_, i) => role(i) === "primary").map((c) => c.name);
    return {
        meshId: "mesh-e2e",
        istio: {
            chartRepository,
            skipAwait: true,
            validationFailurePolicy: "Ignore",
            // Primary-remote runs on a named, tagged revision: the start of the canary runbook check 9 follows.
            ...(topology === "primary-remote" ? { revision: "1-30-3", revisionTags: ["prod"] } : {}),
        },
        trust: {
            mode: "external",
            rootCertPem: trust.root.certPem,
            intermediates: Object.fromEntries(primaries.map((c) => [c, { caCertPem: trust.intermediates[c].certPem, caKeyPem: "set-as-secret" }])),
        },
        networkLink: { mode: "none" },
        clusters: clusters.map((c, i) => ({
            name: c.name,
            role: role(i),
            ...(role(i) === "remote" ? { controlPlane: clusters[0].name } : {}),
            network: network(i),
            region: `local-${i + 1}`,
            kubeconfig: "set-as-secret",
            apiServer: c.server,
            podCidr: `10.${10 * (i + 1)}.0.0/16`,
            serviceCidr: `10.${100 + i}.0.0/16`,
            ...(topology === "flat" ? {} : { eastWestGateway: { externalIPs: [gatewayAddress(i)] } }),
            ...(options.adoptIn === c.name ? { existingIstioNamespace: true } : {}),
        })),
    };
}

/**
 * The stack config of examples/components and examples/python-components for the same mesh as
 * `meshConfig("multi-primary", …)`: two primaries on two networks with gateways at fixed addresses, and
 * the kubeconfigs and CA keys as the secrets to set.
 */
export function componentsConfig(clusters: LocalCluster[], chartRepository: string, trust: MeshTrust): { values: Record<string, unknown>; secrets: Record<string, string> } {
    return {
        values: {
            meshId: "mesh-e2e",
            istio: { chartRepository, skipAwait: true },
            validationFailurePolicy: "Ignore",
            trust: {
                rootCertPem: trust.root.certPem,
                intermediates: Object.fromEntries(clusters.map((c) => [c.name, { caCertPem: trust.intermediates[c.name].certPem, caKeyPem: "set-as-secret" }])),
            },
            clusters: clusters.map((c, i) => ({ name: c.name, network: `network${i + 1}`, apiServer: c.server, kubeconfig: "set-as-secret", gatewayAddress: gatewayAddress(i) })),
        },
        secrets: {
            ...Object.fromEntries(clusters.map((c, i) => [`clusters[${i}].kubeconfig`, c.kubeconfig])),
            ...Object.fromEntries(clusters.map((c) => [`trust.intermediates.${c.name}.caKeyPem`, trust.intermediates[c.name].keyPem])),
        },
    };
}

export interface EngineEnvironment {
    /** The folder holding bin/pulumi. */
    pulumiRoot: string;
    pulumiHome: string;
    backendDir: string;
}

/** What one engine operation reported: every resource step, and the engine's own words. */
export interface OperationLog {
    steps: { op: string; urn: string; type: string; diffs?: string[] }[];
    output: string;
}

/**
 * A stack of the example project in its own folder, whose `Pulumi.<stack>.yaml` holds `mesh` as a user
 * writes it. The program is the example's index.ts, loaded afresh for every operation: the Automation API
 * hosts the Node.js language runtime in this process (its standalone host is not published as a module).
 */
export class ExampleStack {
    private constructor(
        public readonly name: string,
        public readonly stack: Stack,
        public readonly workDir: string,
    ) {}

    static async create(env: EngineEnvironment, workRoot: string, name: string, programDir = exampleDir): Promise<ExampleStack> {
        const workDir = path.join(workRoot, name);
        mkdirSync(workDir, { recursive: true });
        const pulumiCommand = await PulumiCommand.get({ root: env.pulumiRoot, skipVersionCheck: true });
        const workspace = await LocalWorkspace.create({
            workDir,
            pulumiCommand,
            pulumiHome: env.pulumiHome,
            projectSettings: { name: project, runtime: "nodejs", backend: { url: `file://${env.backendDir}` } },
            envVars: {
                PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            },
            program: async () => {
                for (const key of Object.keys(require.cache)) {
                    if (key.startsWith(path.join(repoRoot, "lib")) || key.startsWith(path.join(repoRoot, "examples"))) {
                        delete require.cache[key];
                    }
                }
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program runs when loaded
                return { ...(require(path.join(programDir, "index.ts")) as Record<string, unknown>) };
            },
        });
        await workspace.createStack(name).catch(async () => workspace.selectStack(name));
        const stack = await Stack.select(name, workspace);
        return new ExampleStack(name, stack, workDir);
    }

    /** Writes the stack's `mesh` config as a user would, then sets each secret with `--path --secret`. */
    async configure(config: MeshConfig, secrets: Record<string, string>): Promise<string> {
        return this.configureValues({ mesh: config }, secrets);
    }

    /** Writes the stack's config values as a user would, then sets each secret with `--path --secret`. */
    async configureValues(config: Record<string, unknown>, secrets: Record<string, string>): Promise<string> {
        const file = path.join(this.workDir, `Pulumi.${this.name}.yaml`);
        // Keep the rest of the file: `encryptionsalt` is the key to the secrets already in the state.
        const settings = existsSync(file) ? (parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
        writeFileSync(file, stringify({ ...settings, config: Object.fromEntries(Object.entries(config).map(([key, value]) => [`${project}:${key}`, value])) }));
        const values: ConfigMap = Object.fromEntries(Object.entries(secrets).map(([key, value]) => [`${project}:${key}`, { value, secret: true }]));
        await this.stack.setAllConfig(values, true);
        return file;
    }

    private async run<T>(what: (onEvent: (e: EngineEvent) => void, onOutput: (s: string) => void) => Promise<T>): Promise<{ result: T; log: OperationLog }> {
        const log: OperationLog = { steps: [], output: "" };
        const onEvent = (e: EngineEvent) => {
            const meta = e.resourcePreEvent?.metadata;
            if (meta) {
                log.steps.push({ op: meta.op, urn: meta.urn, type: meta.type, diffs: meta.diffs });
            }
        };
        const onOutput = (s: string) => {
            log.output += s;
        };
        try {
            return { result: await what(onEvent, onOutput), log };
        } catch (err) {
            (err as Error).message += `\n--- engine output ---\n${log.output.slice(-6000)}`;
            throw err;
        }
    }

    up() {
        return this.run((onEvent, onOutput) => this.stack.up({ onEvent, onOutput, color: "never" }));
    }

    preview(expectNoChanges = false) {
        return this.run((onEvent, onOutput) => this.stack.preview({ onEvent, onOutput, color: "never", expectNoChanges, diff: true }));
    }

    refresh() {
        return this.run((onEvent, onOutput) => this.stack.refresh({ onEvent, onOutput, color: "never" }));
    }

    destroy() {
        return this.run((onEvent, onOutput) => this.stack.destroy({ onEvent, onOutput, color: "never" }));
    }

    /** The stack's resources as the engine recorded them (secrets decrypted). */
    async resources(): Promise<StateResource[]> {
        const exported = await this.stack.workspace.exportStack(this.name);
        return ((exported.deployment as { resources?: StateResource[] }).resources ?? []).filter((r) => !r.type.startsWith("pulumi:pulumi:"));
    }
}

export interface StateResource {
    urn: string;
    /** A read, not a resource the program manages. */
    external?: boolean;
    type: string;
    custom: boolean;
    id?: string;
    provider?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

/** The cluster a Kubernetes resource lives in, from its provider's name (`mesh-<cluster>-k8s`). */
export function clusterOf(resource: StateResource): string | undefined {
    const providerUrn = resource.provider?.split("::").slice(0, -1).join("::");
    const name = providerUrn?.split("::").pop();
    return /^mesh-(.+)-k8s$/.exec(name ?? "")?.[1];
}

/** The resource name of a URN. */
export function nameOf(urn: string): string {
    return urn.split("::").pop()!;
}

export function writeJson(file: string, value: unknown): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}
