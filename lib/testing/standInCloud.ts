import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { maximumKubernetesVersion } from "../model/compatibility";

/**
 * A stand-in for the clouds and clusters this library deploys to, for unit tests of programs that use it
 * (`pulumi.runtime.setMocks`). It answers every resource and function the library uses with the fields the
 * library reads back, so a program runs to its end without a cloud account or a cluster. Every value it
 * makes up is visibly not real:
 * - keys, certificates, tokens and IDs are `<stand-in: …>` strings ending in the name of the resource
 *   they come from;
 * - API servers are `https://<cluster>.stand-in.invalid:6443` (`.invalid` never resolves, RFC 2606);
 * - load balancers get addresses from 192.0.2.0/24, the range kept for documentation (RFC 5737);
 * - zones are `<stand-in: <region> zone N>` unless the test names a region's zones;
 * - ACK offers one Kubernetes version, `<newest minor Istio supports>.0-stand-in`, unless the test names some.
 * In a preview (`preview: true`) everything a provider computes is unknown, as in `pulumi preview` of a
 * new stack. Resource types the library does not use get their inputs back, as Pulumi's usual mocks do.
 */

/** What the stand-in offers. */
export interface StandInCloudOptions {
    /**
     * Answer as a preview of a new stack: keys, certificates, IDs, addresses and everything else a provider
     * computes are unknown. @default false
     */
    readonly preview?: boolean;
    /**
     * The zones each Alibaba Cloud region offers (for vSwitches, every instance type and transit routers).
     * Name them when the program pins zones. @default three `<stand-in: <region> zone N>` zones per region
     */
    readonly zones?: Readonly<Record<string, readonly string[]>>;
    /**
     * The versions ACK offers for managed clusters, for clusters that do not pin one.
     * @default the newest Kubernetes minor the installed Istio supports, as `<major>.<minor>.0-stand-in`
     */
    readonly kubernetesVersions?: readonly string[];
}

/** A resource as the stand-in saw it: what the program sent, and what the stand-in answered. */
export interface StandInResource {
    /** The resource type token, e.g. `kubernetes:core/v1:Secret`. */
    readonly type: string;
    /** The resource's name in the program. */
    readonly name: string;
    /** The inputs the program sent, secrets unwrapped. */
    readonly inputs: Record<string, unknown>;
    /** The top-level inputs the program sent as Pulumi secrets (or holding one). */
    readonly secretInputs: readonly string[];
    /** A resource managed by a provider, rather than a component. */
    readonly custom: boolean;
    /** The provider instance it goes through, as `<provider URN>::<provider ID>`; undefined for the default one. */
    readonly provider?: string;
    /** The ID a read asked for; undefined for a resource the program creates. */
    readonly readId?: string;
    /** What the stand-in answered; unknown values are `pulumi.runtime.unknownValue`. */
    readonly state: Record<string, unknown>;
}

/** tls fields the library reads back, per resource type. */
const tlsOutputs: Record<string, string[]> = {
    "tls:index/privateKey:PrivateKey": ["privateKeyPem"],
    "tls:index/selfSignedCert:SelfSignedCert": ["certPem"],
    "tls:index/certRequest:CertRequest": ["certRequestPem"],
    "tls:index/locallySignedCert:LocallySignedCert": ["certPem"],
};

/** Alibaba Cloud fields the library reads back, per resource type, besides the resource's ID. */
const alicloudOutputs: Record<string, (name: string) => Record<string, unknown>> = {
    "alicloud:cs/managedKubernetes:ManagedKubernetes": (name) => ({
        securityGroupId: standIn(`security group of ${name}`),
        slbId: standIn(`API server load balancer of ${name}`),
        connections: { apiServerIntranet: `https://${hostLabel(name)}.intranet.stand-in.invalid:6443`, apiServerInternet: `https://${hostLabel(name)}.stand-in.invalid:6443` },
    }),
    "alicloud:vpc/network:Network": (name) => ({ routeTableId: standIn(`route table of ${name}`) }),
    "alicloud:cen/transitRouter:TransitRouter": (name) => ({ transitRouterId: standIn(`transit router ID of ${name}`) }),
    "alicloud:cen/transitRouterRouteTable:TransitRouterRouteTable": (name) => ({ transitRouterRouteTableId: standIn(`route table ID of ${name}`) }),
    "alicloud:cen/transitRouterPeerAttachment:TransitRouterPeerAttachment": (name) => ({ transitRouterAttachmentId: standIn(`attachment ID of ${name}`) }),
    "alicloud:cen/transitRouterVpcAttachment:TransitRouterVpcAttachment": (name) => ({ transitRouterAttachmentId: standIn(`attachment ID of ${name}`) }),
};

/** The fields of Kubernetes resources' inputs that decide what the cluster answers. */
interface KubernetesInputs {
    readonly chart?: unknown;
    readonly version?: unknown;
    readonly name?: string;
    readonly namespace?: string;
    readonly type?: string;
    readonly values?: { readonly name?: string; readonly service?: { readonly type?: string } };
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
    readonly spec?: { readonly type?: string };
}

const serviceAccountTokenType = "kubernetes.io/service-account-token";

function standIn(what: string): string {
    return `<stand-in: ${what}>`;
}

/** A DNS label for a resource name: at most 63 letters, digits and inner hyphens. */
function hostLabel(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").slice(0, 63).replace(/^-+|-+$/g, "") || "resource";
}

/** The resources whose stand-in values a text holds: each value's last word, `<stand-in: … <resource name>>`. */
export function standInResourceNames(text: string): string[] {
    return [...text.matchAll(/<stand-in: [^>]*? ([^ >"]+)>/g)].map((m) => m[1]);
}

/** The resource a stand-in ID was made for, or the ID itself when it is not a stand-in's. */
function resourceNameOf(id: string): string {
    return standInResourceNames(id)[0] ?? id;
}

/** The engine's wire form of a secret, `{ <sig>: <secretSig>, value }`, as inputs reach mocks, removed. */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
            return unwrapSecrets(record.value);
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/**
 * The stand-in cloud: a `pulumi.runtime.Mocks` for the tls, Kubernetes and Alibaba Cloud resources and
 * functions this library uses. Install it with {@link setStandInMocks}, or pass it to
 * `pulumi.runtime.setMocks` yourself.
 */
export class StandInCloud implements pulumi.runtime.Mocks {
    /** Every resource the program registered or read, in order. */
    public readonly resources: StandInResource[] = [];
    /** The region of each Alibaba Cloud provider, by its name: invokes through it run there. */
    private readonly regions = new Map<string, string>();
    /** Services on each cluster, as `<provider URN>/<namespace>/<name>`: the only Services a read finds. */
    private readonly services = new Set<string>();

    public constructor(private readonly options: StandInCloudOptions = {}) {}

    /** Answers a resource the program registers or reads. */
    public newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const sent = (args.inputs ?? {}) as Record<string, unknown>;
        const inputs = unwrapSecrets(sent) as Record<string, unknown>;
        const secretInputs = Object.keys(sent).filter((key) => JSON.stringify(sent[key] ?? null).includes(pulumi.runtime.specialSecretSig));
        const { id, state } = args.id !== undefined && args.id !== "" ? this.read(args, inputs) : this.create(args, inputs);
        this.resources.push({
            type: args.type,
            name: args.name,
            inputs,
            secretInputs,
            custom: args.custom !== false,
            ...(args.provider ? { provider: args.provider } : {}),
            ...(args.id ? { readId: args.id } : {}),
            state,
        });
        return { id, state };
    }

    /** Answers a function the program invokes. */
    public call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = args.inputs as Record<string, unknown>;
        switch (args.token) {
            case "alicloud:index/getZones:getZones":
                return { zones: this.zonesOf(args).map((id) => ({ id })) };
            case "alicloud:cen/getTransitRouterAvailableResources:getTransitRouterAvailableResources":
                return { resources: [{ availableZones: this.zonesOf(args) }] };
            case "alicloud:cs/getKubernetesVersion:getKubernetesVersion":
                return {
                    metadatas: (this.options.kubernetesVersions ?? [`${maximumKubernetesVersion.major}.${maximumKubernetesVersion.minor}.0-stand-in`]).map((version) => ({ version })),
                };
            case "alicloud:cs/getClusterCredential:getClusterCredential": {
                const cluster = String(inputs.clusterId);
                return {
                    kubeConfig: [
                        "apiVersion: v1",
                        "kind: Config",
                        `clusters: [{name: stand-in, cluster: {server: "https://${hostLabel(resourceNameOf(cluster))}.stand-in.invalid:6443"}}]`,
                        `users: [{name: stand-in, user: {token: "${standIn(`token for ${cluster}`)}"}}]`,
                        "contexts: [{name: stand-in, context: {cluster: stand-in, user: stand-in}}]",
                        "current-context: stand-in",
                        "",
                    ].join("\n"),
                    certificateAuthority: { clusterCert: base64(standIn(`CA certificate of ${cluster}`)) },
                };
            }
            default:
                throw new Error(`the stand-in cloud does not answer ${args.token}; call pulumi.runtime.setMocks with mocks of your own for it`);
        }
    }

    private create(args: pulumi.runtime.MockResourceArgs, inputs: Record<string, unknown>): { id: string | undefined; state: Record<string, unknown> } {
        const { type, name } = args;
        if (type === "pulumi:providers:alicloud" && typeof inputs.region === "string") {
            this.regions.set(name, inputs.region);
        }
        if (args.custom === false) {
            return { id: undefined, state: inputs };
        }
        const computed = this.computed(args, inputs);
        const state = { ...inputs, ...(this.options.preview ? Object.fromEntries(Object.keys(computed).map((k) => [k, pulumi.runtime.unknownValue])) : computed) };
        const id = type.startsWith("pulumi:providers:") ? `${name}-id` : this.options.preview ? "" : standIn(`${type} ${name}`);
        return { id, state };
    }

    /** What the provider computes for a resource the program creates, besides its ID. */
    private computed(args: pulumi.runtime.MockResourceArgs, inputs: KubernetesInputs): Record<string, unknown> {
        const { type, name } = args;
        if (type in tlsOutputs) {
            return Object.fromEntries(tlsOutputs[type].map((field) => [field, standIn(`${field} of ${name}`)]));
        }
        if (type in alicloudOutputs) {
            return alicloudOutputs[type](name);
        }
        if (type === "kubernetes:helm.sh/v3:Release") {
            const chart = String(inputs.chart).split("/").pop()!;
            if (chart === "gateway" && inputs.values?.service?.type !== "None") {
                this.services.add(`${providerUrn(args.provider)}/${inputs.namespace ?? "default"}/${inputs.values?.name ?? inputs.name ?? name}`);
            }
            return { status: { name: inputs.name ?? name, namespace: inputs.namespace ?? "default", chart, version: inputs.version, appVersion: inputs.version, revision: 1, status: "deployed" } };
        }
        if (type === "kubernetes:core/v1:Secret" && inputs.type === serviceAccountTokenType) {
            const where = `${inputs.metadata?.namespace ?? "default"}/${inputs.metadata?.name ?? name}`;
            return { data: { token: base64(standIn(`token of ${where}, from ${name}`)), "ca.crt": base64(standIn(`cluster CA for ${where}, from ${name}`)), namespace: base64(inputs.metadata?.namespace ?? "default") } };
        }
        if (type === "kubernetes:core/v1:Service") {
            const key = `${providerUrn(args.provider)}/${inputs.metadata?.namespace ?? "default"}/${inputs.metadata?.name ?? name}`;
            this.services.add(key);
            return inputs.spec?.type === "LoadBalancer" ? { status: serviceStatus(key) } : {};
        }
        return {};
    }

    /** A read of an existing object: only a Service the program made on that cluster exists. */
    private read(args: pulumi.runtime.MockResourceArgs, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const id = args.id!;
        if (args.type === "kubernetes:core/v1:Service") {
            const [namespace, serviceName] = id.includes("/") ? id.split("/") : ["default", id];
            const key = `${providerUrn(args.provider)}/${namespace}/${serviceName}`;
            if (this.options.preview || id === pulumi.runtime.unknownValue) {
                return { id, state: { ...inputs, status: pulumi.runtime.unknownValue } };
            }
            if (this.services.has(key)) {
                return { id, state: { apiVersion: "v1", kind: "Service", metadata: { name: serviceName, namespace }, spec: { type: "LoadBalancer" }, status: serviceStatus(key) } };
            }
        }
        throw new Error(`the stand-in cloud has no ${args.type} ${id} to read: the program made no such object there`);
    }

    private zonesOf(args: pulumi.runtime.MockCallArgs): string[] {
        const region = this.regions.get(providerName(args.provider)) ?? new pulumi.Config("alicloud").get("region") ?? "default-region";
        return [...(this.options.zones?.[region] ?? [1, 2, 3].map((n) => standIn(`${region} zone ${n}`)))];
    }
}

/** The URN in a provider reference (`<urn>::<id>`); the default provider when there is none. */
function providerUrn(reference: string | undefined): string {
    return reference ? reference.slice(0, reference.lastIndexOf("::")) : "default";
}

/** The name of the provider a reference (`<urn>::<id>`) points at: its URN's last part; `default` for none. */
export function providerName(reference: string | undefined): string {
    // `split` gives at least one part.
    return providerUrn(reference).split("::").pop()!;
}

/** A LoadBalancer Service's status: an address from 192.0.2.0/24 (RFC 5737), the same for the same Service. */
function serviceStatus(key: string): Record<string, unknown> {
    const digest = createHash("sha256").update(key).digest();
    return { loadBalancer: { ingress: [{ ip: `192.0.2.${1 + (digest[0] % 254)}` }] } };
}

/** Where the stand-in is installed, and what it answers. */
export interface SetStandInMocksArgs extends StandInCloudOptions {
    /** The project name the program sees. @default "project" */
    readonly project?: string;
    /** The stack name the program sees. @default "stack" */
    readonly stack?: string;
}

/**
 * Installs the stand-in cloud for the program's Pulumi SDK (the `@pulumi/pulumi` this package resolves,
 * which is the program's own when both are installed in its `node_modules`), and returns it, so a test can
 * look at what the program registered. Call it before the program's resources are created.
 */
export async function setStandInMocks(args: SetStandInMocksArgs = {}): Promise<StandInCloud> {
    const cloud = new StandInCloud(args);
    await pulumi.runtime.setMocks(cloud, args.project ?? "project", args.stack ?? "stack", args.preview ?? false);
    return cloud;
}
