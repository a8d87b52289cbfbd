import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { Problem, reportInputProblems } from "../model/problems";
import { dns1123LabelProblem } from "../internal/names";
import { providedOutput } from "../internal/providerOutputs";
import { defaultIstioNamespace, TrustMode } from "../model/vocabulary";
import {
    caAllowedUses,
    caKeyArgs,
    CaKeyAlgorithm,
    cacertsFiles,
    CacertsKey,
    defaultEcdsaCurve,
    defaultIntermediateEarlyRenewalHours,
    defaultOrganization,
    defaultRsaBits,
    defaultValidityHours,
    EcdsaCurve,
    intermediateSubject,
    istiodDnsName,
    pemBundle,
    rootSubject,
    supportedRsaBits,
} from "./pki";

/** A root CA you already have, for `mode: imported`. */
export interface ImportedRootArgs {
    /** The root certificate (PEM). */
    readonly certPem: pulumi.Input<string>;
    /** The root's private key (PEM). Stored in Pulumi state as a secret; wrapped in `pulumi.secret` here. */
    readonly privateKeyPem: pulumi.Input<string>;
}

/** One cluster's CA material signed outside Pulumi, for `mode: external`. */
export interface ExternalIntermediateArgs {
    /** The cluster's intermediate CA certificate (`ca-cert.pem`). */
    readonly caCertPem: pulumi.Input<string>;
    /** The intermediate's private key (`ca-key.pem`); wrapped in `pulumi.secret` here. */
    readonly caKeyPem: pulumi.Input<string>;
    /**
     * The chain from the intermediate up to the root (`cert-chain.pem`).
     * @default the intermediate followed by `external.rootCertPem`
     */
    readonly certChainPem?: pulumi.Input<string>;
}

/** Material signed offline, for `mode: external`. */
export interface ExternalTrustArgs {
    /** The offline root's certificate (PEM): the mesh's trust anchor. */
    readonly rootCertPem: pulumi.Input<string>;
    /** Per cluster name (every entry of `clusters`, no others): that cluster's intermediate material. */
    readonly intermediates: Readonly<Record<string, ExternalIntermediateArgs>>;
}

/** The mesh's trust: which clusters get an intermediate, where the root comes from, keys and lifetimes. */
export interface MeshRootCaArgs {
    /**
     * Names of the clusters that run istiod (the primaries): each gets its own intermediate CA. Remote
     * clusters need none, since their workloads are signed by their primary's istiod. Plain values: each
     * name decides which resources exist. Adding a name adds only that cluster's intermediate.
     */
    readonly clusters: readonly string[];
    /**
     * Where the root comes from; see {@link TrustMode}.
     * @default `imported` when `importedRoot` is set, `external` when `external` is set, else `generated`
     */
    readonly mode?: TrustMode;
    /** Root to sign with in `imported` mode. */
    readonly importedRoot?: ImportedRootArgs;
    /** Offline-signed material in `external` mode. */
    readonly external?: ExternalTrustArgs;
    /**
     * Organization (`O=`) of the root and intermediate subjects.
     * @default "Istio"
     */
    readonly organization?: pulumi.Input<string>;
    /**
     * Key algorithm of generated keys.
     * @default "RSA"
     */
    readonly keyAlgorithm?: CaKeyAlgorithm;
    /**
     * RSA key size, one of 2048, 3072, 4096.
     * @default 4096 (Istio's plugin-CA default)
     */
    readonly rsaBits?: number;
    /**
     * ECDSA curve when `keyAlgorithm` is `ECDSA`.
     * @default "P256"
     */
    readonly ecdsaCurve?: EcdsaCurve;
    /**
     * Namespace istiod runs in; each intermediate carries `DNS:istiod.<namespace>.svc`.
     * @default "istio-system"
     */
    readonly istioNamespace?: pulumi.Input<string>;
    /**
     * Validity of a generated root certificate, in hours.
     * @default 87600 (3650 days, Istio's default)
     */
    readonly rootValidityHours?: pulumi.Input<number>;
    /**
     * Validity of each intermediate certificate, in hours.
     * @default 87600 (3650 days, Istio's default)
     */
    readonly intermediateValidityHours?: pulumi.Input<number>;
    /**
     * An intermediate is re-issued by any `pulumi up` run within this many hours of its expiry.
     * @default 2160 (90 days)
     */
    readonly intermediateEarlyRenewalHours?: pulumi.Input<number>;
    /**
     * Further root certificates every cluster keeps trusting, appended to `root-cert.pem`: the old or the
     * new root during a two-phase root rotation (see the README). While they add a root, `multiRootTrust` is true and
     * istiod and the proxies must run with Istio's multi-root settings.
     * @default []
     */
    readonly additionalTrustedRoots?: readonly pulumi.Input<string>[];
    /**
     * Protect a generated root key and certificate from deletion and replacement: losing either, or
     * changing an input that re-issues the root (organization, validity, key type), breaks trust in every
     * cluster at once. Set to false only to rotate or tear down on purpose.
     * @default true
     */
    readonly protectRoot?: boolean;
}

/** The four entries of one cluster's `cacerts` Secret; `ca-key.pem` is a Pulumi secret. */
export type CacertsOutputs = Record<CacertsKey, pulumi.Output<string>>;

/**
 * One cluster's `cacerts` entries from their contents, however secret those are as a whole: the key a
 * secret, the certificates not, so that what is derived from them (webhook CA bundles, remote secrets)
 * shows in plans and state.
 */
export function cacertsOutputs(files: pulumi.Output<Record<CacertsKey, string>>): CacertsOutputs {
    return {
        "ca-cert.pem": pulumi.unsecret(files["ca-cert.pem"]),
        "ca-key.pem": pulumi.secret(files["ca-key.pem"]),
        "root-cert.pem": pulumi.unsecret(files["root-cert.pem"]),
        "cert-chain.pem": pulumi.unsecret(files["cert-chain.pem"]),
    };
}

/**
 * The mesh's shared trust root and one intermediate CA per cluster that runs istiod, in the layout of
 * Istio's plug-in CA (`cacerts`). Istio's own tooling also sets `pathlen:0` on intermediates; the tls
 * provider cannot express it (0 means "no constraint" there) and Istio does not check it, so it is absent.
 */
export class MeshRootCa extends pulumi.ComponentResource {
    /** The root certificate that signs the intermediates (PEM). */
    public readonly rootCertPem: pulumi.Output<string>;
    /** Every root the mesh trusts: the signing root, then `additionalTrustedRoots` (PEM bundle). */
    public readonly trustBundlePem: pulumi.Output<string>;
    /** Per cluster name: its `cacerts` entries, ready to become the Secret istiod reads at start-up. */
    public readonly cacerts: Readonly<Record<string, CacertsOutputs>>;
    /** True while more than one distinct root is trusted: Istio must run with `multiRootIstiodValues()`. */
    public readonly multiRootTrust: pulumi.Output<boolean>;
    /** Where the root came from: made here, imported, or external with finished intermediates. */
    public readonly mode: TrustMode;

    constructor(name: string, args: MeshRootCaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-multicluster:index:MeshRootCa", name, {}, opts);
        reportInputProblems(`MeshRootCa ${name}`, { errors: validateMeshRootCaArgs(args), warnings: [] }, this);

        this.mode = trustModeOf(args);
        const extraRoots = pulumi.all([...(args.additionalTrustedRoots ?? [])]);

        let root: { certPem: pulumi.Output<string>; keyPem?: pulumi.Output<string> };
        if (this.mode === "external") {
            root = { certPem: pulumi.output(args.external!.rootCertPem) };
        } else if (this.mode === "imported") {
            root = {
                certPem: pulumi.output(args.importedRoot!.certPem),
                keyPem: pulumi.secret(args.importedRoot!.privateKeyPem),
            };
        } else {
            root = this.generateRoot(name, args);
        }
        this.rootCertPem = root.certPem;
        this.trustBundlePem = pulumi.all([root.certPem, extraRoots]).apply(([rootCertPem, additional]) => pemBundle([rootCertPem, ...additional]));
        this.multiRootTrust = this.trustBundlePem.apply((bundle) => bundle.split("-----BEGIN CERTIFICATE-----").length > 2);

        const cacerts: Record<string, CacertsOutputs> = {};
        for (const cluster of args.clusters) {
            const material =
                this.mode === "external"
                    ? externalMaterial(args.external!.intermediates[cluster])
                    : this.issueIntermediate(name, cluster, args, { certPem: root.certPem, keyPem: root.keyPem! });
            const files = pulumi
                .all([material.certPem, material.keyPem, root.certPem, material.chainPem, extraRoots])
                .apply(([certPem, keyPem, rootCertPem, chainPem, additional]) =>
                    cacertsFiles({
                        intermediateCertPem: certPem,
                        intermediateKeyPem: keyPem,
                        rootCertPem,
                        additionalTrustedRoots: additional,
                        certChainPem: chainPem,
                    }),
                );
            cacerts[cluster] = cacertsOutputs(files);
        }
        this.cacerts = cacerts;

        this.registerOutputs({
            rootCertPem: this.rootCertPem,
            trustBundlePem: this.trustBundlePem,
            cacerts: this.cacerts,
            multiRootTrust: this.multiRootTrust,
            mode: this.mode,
        });
    }

    private generateRoot(name: string, args: MeshRootCaArgs): { certPem: pulumi.Output<string>; keyPem: pulumi.Output<string> } {
        const key = new tls.PrivateKey(
            `${name}-root-key`,
            caKeyArgs(args.keyAlgorithm ?? "RSA", args.rsaBits ?? defaultRsaBits, args.ecdsaCurve ?? defaultEcdsaCurve),
            { parent: this, protect: args.protectRoot ?? true },
        );
        const cert = new tls.SelfSignedCert(
            `${name}-root-cert`,
            {
                privateKeyPem: providedOutput(key, `tls PrivateKey ${name}-root-key`, "privateKeyPem", key.privateKeyPem),
                subject: pulumi.output(args.organization ?? defaultOrganization).apply(rootSubject),
                isCaCertificate: true,
                allowedUses: caAllowedUses,
                validityPeriodHours: args.rootValidityHours ?? defaultValidityHours,
                // A re-issued root is a new trust anchor: rotation is deliberate, never a side effect of `up`.
                earlyRenewalHours: 0,
            },
            { parent: this, protect: args.protectRoot ?? true },
        );
        return {
            certPem: providedOutput(cert, `tls SelfSignedCert ${name}-root-cert`, "certPem", cert.certPem),
            keyPem: pulumi.secret(providedOutput(key, `tls PrivateKey ${name}-root-key`, "privateKeyPem", key.privateKeyPem)),
        };
    }

    private issueIntermediate(
        name: string,
        cluster: string,
        args: MeshRootCaArgs,
        root: { certPem: pulumi.Output<string>; keyPem: pulumi.Output<string> },
    ): { certPem: pulumi.Output<string>; keyPem: pulumi.Output<string>; chainPem: pulumi.Output<string | undefined> } {
        const key = new tls.PrivateKey(
            `${name}-intermediate-${cluster}-key`,
            caKeyArgs(args.keyAlgorithm ?? "RSA", args.rsaBits ?? defaultRsaBits, args.ecdsaCurve ?? defaultEcdsaCurve),
            { parent: this },
        );
        const request = new tls.CertRequest(
            `${name}-intermediate-${cluster}-csr`,
            {
                privateKeyPem: providedOutput(key, `tls PrivateKey ${name}-intermediate-${cluster}-key`, "privateKeyPem", key.privateKeyPem),
                subject: pulumi.output(args.organization ?? defaultOrganization).apply((org) => intermediateSubject(org, cluster)),
                dnsNames: [pulumi.output(args.istioNamespace ?? defaultIstioNamespace).apply(istiodDnsName)],
            },
            { parent: this },
        );
        const cert = new tls.LocallySignedCert(
            `${name}-intermediate-${cluster}-cert`,
            {
                certRequestPem: providedOutput(request, `tls CertRequest ${name}-intermediate-${cluster}-csr`, "certRequestPem", request.certRequestPem),
                caCertPem: root.certPem,
                caPrivateKeyPem: root.keyPem,
                isCaCertificate: true,
                allowedUses: caAllowedUses,
                validityPeriodHours: args.intermediateValidityHours ?? defaultValidityHours,
                earlyRenewalHours: args.intermediateEarlyRenewalHours ?? defaultIntermediateEarlyRenewalHours,
            },
            { parent: this },
        );
        return {
            certPem: providedOutput(cert, `tls LocallySignedCert ${name}-intermediate-${cluster}-cert`, "certPem", cert.certPem),
            keyPem: pulumi.secret(providedOutput(key, `tls PrivateKey ${name}-intermediate-${cluster}-key`, "privateKeyPem", key.privateKeyPem)),
            chainPem: pulumi.output(undefined),
        };
    }
}

function externalMaterial(material: ExternalIntermediateArgs): {
    certPem: pulumi.Output<string>;
    keyPem: pulumi.Output<string>;
    chainPem: pulumi.Output<string | undefined>;
} {
    return {
        certPem: pulumi.output(material.caCertPem),
        keyPem: pulumi.secret(material.caKeyPem),
        chainPem: pulumi.output(material.certChainPem),
    };
}

function trustModeOf(args: MeshRootCaArgs): TrustMode {
    return args.mode ?? (args.importedRoot ? "imported" : args.external ? "external" : "generated");
}

/** Every problem with MeshRootCa's arguments, each with its field. */
export function validateMeshRootCaArgs(args: MeshRootCaArgs): Problem[] {
    const problems: Problem[] = [];
    const problem = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });

    const clusters = Array.isArray(args?.clusters) ? args.clusters : [];
    if (clusters.length === 0) {
        problem("clusters", "name at least one cluster that runs istiod");
    }
    const seen = new Set<string>();
    clusters.forEach((cluster, i) => {
        const nameProblem = dns1123LabelProblem(cluster);
        if (nameProblem) {
            problem(`clusters[${i}]`, `cluster name ${nameProblem}`);
        } else if (seen.has(cluster)) {
            problem(`clusters[${i}]`, `cluster "${cluster}" is listed twice; each cluster gets one intermediate`);
        }
        seen.add(cluster);
    });

    const mode: unknown = args?.mode;
    if (mode !== undefined && mode !== "generated" && mode !== "imported" && mode !== "external") {
        problem("mode", `mode ${JSON.stringify(mode)} is not one of generated, imported, external`);
    }
    if (args?.importedRoot && args.external) {
        // One conflict, one report: the mode-specific checks below would only repeat it.
        problem("external", "importedRoot and external are two different trust modes; set only one of them");
        return problems;
    }
    const effective = trustModeOf(args);
    if (effective === "imported" && !args.importedRoot) {
        problem("importedRoot", "mode imported needs importedRoot with the root's certPem and privateKeyPem");
    }
    if (effective === "external" && !args.external) {
        problem("external", "mode external needs external.rootCertPem and one external.intermediates entry per cluster");
    }
    if (effective === "generated" && (args.importedRoot || args.external)) {
        problem("mode", `mode generated creates its own root, but ${args.importedRoot ? "importedRoot" : "external"} is set; remove it or set the matching mode`);
    }
    if (effective !== "generated" && effective !== "imported" && args.importedRoot) {
        problem("importedRoot", `importedRoot is only used in mode imported, not ${String(effective)}`);
    }
    if (effective !== "external" && args.external) {
        problem("external", `external is only used in mode external, not ${String(effective)}`);
    }
    if (effective === "external" && args.external) {
        const given = Object.keys(args.external.intermediates ?? {});
        for (const cluster of clusters) {
            if (!given.includes(cluster)) {
                problem(`external.intermediates.${cluster}`, `cluster "${cluster}" runs istiod but has no intermediate material`);
            }
        }
        for (const cluster of given) {
            if (!clusters.includes(cluster)) {
                problem(`external.intermediates.${cluster}`, `"${cluster}" is not in clusters; remove its material or add the cluster`);
            }
        }
        for (const field of ["keyAlgorithm", "rsaBits", "ecdsaCurve", "organization", "istioNamespace", "rootValidityHours", "intermediateValidityHours", "intermediateEarlyRenewalHours", "protectRoot"] as const) {
            if (args[field] !== undefined) {
                problem(field, `${field} does not apply in mode external: the material is made outside Pulumi`);
            }
        }
    }
    if (effective === "imported") {
        for (const field of ["rootValidityHours", "protectRoot"] as const) {
            if (args[field] !== undefined) {
                problem(field, `${field} does not apply in mode imported: the root is yours, not made here`);
            }
        }
    }

    if (args?.keyAlgorithm !== undefined && args.keyAlgorithm !== "RSA" && args.keyAlgorithm !== "ECDSA") {
        problem("keyAlgorithm", `keyAlgorithm ${JSON.stringify(args.keyAlgorithm)} is not one of RSA, ECDSA`);
    }
    if (args?.rsaBits !== undefined && !(supportedRsaBits as readonly number[]).includes(args.rsaBits)) {
        problem("rsaBits", `rsaBits ${JSON.stringify(args.rsaBits)} is not one of ${supportedRsaBits.join(", ")}`);
    }
    if (args?.ecdsaCurve !== undefined && args.ecdsaCurve !== "P256" && args.ecdsaCurve !== "P384") {
        problem("ecdsaCurve", `ecdsaCurve ${JSON.stringify(args.ecdsaCurve)} is not one of P256, P384`);
    }
    if (effective !== "external" && (args?.keyAlgorithm ?? "RSA") === "RSA" && args?.ecdsaCurve !== undefined) {
        problem("ecdsaCurve", "ecdsaCurve applies only with keyAlgorithm ECDSA; the keys are RSA");
    }
    if (effective !== "external" && args?.keyAlgorithm === "ECDSA" && args.rsaBits !== undefined) {
        problem("rsaBits", "rsaBits applies only with keyAlgorithm RSA; the keys are ECDSA");
    }
    for (const field of ["rootValidityHours", "intermediateValidityHours"] as const) {
        const value = args?.[field];
        if (typeof value === "number" && (!Number.isInteger(value) || value <= 0)) {
            problem(field, `${field} must be a positive whole number of hours, not ${value}`);
        }
    }
    const rootValidity = args?.rootValidityHours ?? defaultValidityHours;
    const intermediateValidity = args?.intermediateValidityHours ?? defaultValidityHours;
    if (effective === "generated" && typeof rootValidity === "number" && typeof intermediateValidity === "number" && intermediateValidity > rootValidity) {
        problem("intermediateValidityHours", `intermediateValidityHours ${intermediateValidity} is longer than rootValidityHours ${rootValidity}: intermediates would outlive their root and stop validating before they are renewed`);
    }
    const renewal = args?.intermediateEarlyRenewalHours;
    const validity = args?.intermediateValidityHours ?? defaultValidityHours;
    if (typeof renewal === "number" && (!Number.isInteger(renewal) || renewal < 0)) {
        problem("intermediateEarlyRenewalHours", `intermediateEarlyRenewalHours must be a whole number of hours ≥ 0, not ${renewal}`);
    } else if (typeof renewal === "number" && typeof validity === "number" && renewal >= validity) {
        problem("intermediateEarlyRenewalHours", `intermediateEarlyRenewalHours ${renewal} is not shorter than intermediateValidityHours ${validity}: every pulumi up would re-issue the intermediates`);
    }
    return problems;
}
