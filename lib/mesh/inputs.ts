import * as pulumi from "@pulumi/pulumi";
import { Problem, reportInputProblems } from "../model/problems";
import { ClusterConfig, IntermediateConfig, MeshConfig, TrustConfig } from "./config";

// The mesh config as a program passes it: the values a program keeps secret or takes from other resources
// and stacks (kubeconfigs, API server addresses and CAs, root and intermediate material) may be Inputs.
// A stack config value is plain data and is a MeshInput as it is.

/** `ClusterConfig`, with its kubeconfig and API server settings as Inputs. */
export interface ClusterInput extends Omit<ClusterConfig, "kubeconfig" | "apiServer" | "apiServerCaPem"> {
    /** An existing cluster's kubeconfig, e.g. `config.requireSecret("kubeconfig")` or another stack's output. It is kept secret. */
    kubeconfig?: pulumi.Input<string>;
    /** An existing cluster's API server URL, as the other clusters' istiods reach it. Checked when it resolves, if not before. */
    apiServer?: pulumi.Input<string>;
    /**
     * CA certificates (PEM) the other clusters' istiods verify this API server with. Checked when it
     * resolves, if not before.
     * @default the cluster CA from the reader's token
     */
    apiServerCaPem?: pulumi.Input<string>;
}

/** `IntermediateConfig`, with the material as Inputs. */
export interface IntermediateInput extends Omit<IntermediateConfig, "caCertPem" | "caKeyPem" | "certChainPem"> {
    /** The intermediate's certificate (PEM): `ca-cert.pem`. */
    caCertPem: pulumi.Input<string>;
    /** The intermediate's private key (PEM): `ca-key.pem`. It is kept secret. */
    caKeyPem: pulumi.Input<string>;
    /**
     * The chain up to the root (PEM): `cert-chain.pem`.
     * @default the intermediate and the root
     */
    certChainPem?: pulumi.Input<string>;
}

/** `TrustConfig`, with the root and intermediate material as Inputs. */
export interface TrustInput extends Omit<TrustConfig, "rootCertPem" | "rootKeyPem" | "intermediates"> {
    /** The root certificate (PEM), for modes `imported` and `external`. */
    rootCertPem?: pulumi.Input<string>;
    /** The root's private key (PEM), for mode `imported`. It is kept secret. */
    rootKeyPem?: pulumi.Input<string>;
    /** Each primary's intermediate, by cluster name, for mode `external`. */
    intermediates?: Record<string, IntermediateInput>;
}

/** `MeshConfig` as a program passes it: secrets and values computed elsewhere may be Inputs. */
export interface MeshInput extends Omit<MeshConfig, "clusters" | "trust"> {
    /** The clusters of the mesh, each made on ACK (`ack`) or existing (`kubeconfig` and `apiServer`). */
    clusters: ClusterInput[];
    /**
     * Where the root of trust comes from.
     * @default a root made here (mode `generated`)
     */
    trust?: TrustInput;
}

/**
 * The config as its shape is checked: each Input not known yet (an Output or a promise) stands in as a
 * string, the type the schema gives it. Anything not of the expected shape is left for the schema to name.
 */
export function shapeOfInputs(config: MeshInput): MeshConfig {
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    const pending = (x: unknown) => pulumi.Output.isInstance(x) || x instanceof Promise;
    // Stryker disable next-line StringLiteral: the schema gives these settings no length or pattern, so any string stands in as well
    const known = (v: unknown, keys: readonly string[]): unknown => (isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, keys.includes(k) && pending(x) ? "" : x])) : v);
    if (!isObject(config)) {
        return config as unknown as MeshConfig;
    }
    const trust = config.trust as unknown;
    const intermediates = isObject(trust) ? trust.intermediates : undefined;
    return {
        ...config,
        ...(Array.isArray(config.clusters) ? { clusters: config.clusters.map((c) => known(c, ["kubeconfig", "apiServer", "apiServerCaPem"])) } : {}),
        ...(isObject(trust)
            ? {
                  trust: {
                      ...(known(trust, ["rootCertPem", "rootKeyPem"]) as object),
                      ...(isObject(intermediates)
                          ? { intermediates: Object.fromEntries(Object.entries(intermediates).map(([k, i]) => [k, known(i, ["caCertPem", "caKeyPem", "certChainPem"])])) }
                          : {}),
                  },
              }
            : {}),
    } as MeshConfig;
}

/** Why a value is not of its format, if it is not. */
export type FormatProblem = (value: string) => string | undefined;

/**
 * The config with each API server setting that was not known at construction checked when it resolves.
 * They are checked together, so one error lists every problem with its path and the reason the same value
 * gives at construction; every resource taking one of them fails with it. Values known at construction
 * are checked by `meshProblems` and pass through unchanged.
 */
export function checkedOnResolution(
    what: string,
    config: MeshInput,
    checks: { apiServer: FormatProblem; apiServerCaPem: FormatProblem },
    component: pulumi.Resource,
    prefix = "mesh",
): MeshInput {
    const pending = config.clusters.flatMap((c, i) =>
        (["apiServer", "apiServerCaPem"] as const).flatMap((setting) => {
            const value = c[setting];
            return value === undefined || typeof value === "string" ? [] : [{ index: i, propertyPath: `${prefix}.clusters[${i}].${setting}`, setting, output: pulumi.output(value) }];
        }),
    );
    if (pending.length === 0) {
        return config;
    }
    const values = pending.map((p) => pulumi.all([p.output, pulumi.isSecret(p.output)]));
    // Carries no value, only the verdict, so it need not be secret.
    const verdict = pulumi.unsecret(
        pulumi.all(values).apply((resolved) => {
            const errors: Problem[] = pending.flatMap(({ propertyPath, setting }, i) => {
                const [value, secret] = resolved[i];
                const problem = checks[setting](value);
                // A value given as a secret is never shown, even in an error.
                return problem ? [{ propertyPath, reason: `${setting} ${secret ? problem.split(JSON.stringify(value)).join("[secret]") : problem}` }] : [];
            });
            reportInputProblems(what, { errors, warnings: [] }, component);
        }),
    );
    const checked = (output: pulumi.Output<string>) => pulumi.all([verdict, output]).apply(([, value]) => value);
    return {
        ...config,
        clusters: config.clusters.map((c, i) => ({
            ...c,
            ...Object.fromEntries(pending.filter((p) => p.index === i).map((p) => [p.setting, checked(p.output)])),
        })),
    };
}
