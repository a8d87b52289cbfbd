import * as https from "node:https";
import { parse } from "yaml";

/** One HTTPS answer of an API server. */
export interface KubeResponse {
    status: number;
    body: any;
}

/** Where an API server is and who speaks to it: the server's CA and a bearer token. */
export interface KubeCredentials {
    server: string;
    caPem: string;
    token: string;
}

/** Reads server, CA and bearer token from a kubeconfig's current context, as istiod reads a remote secret. */
export function credentialsOfKubeconfig(kubeconfig: string): KubeCredentials {
    const config = parse(kubeconfig) as {
        "current-context": string;
        contexts: { name: string; context: { cluster: string; user: string } }[];
        clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
        users: { name: string; user: { token: string } }[];
    };
    const context = config.contexts.find((c) => c.name === config["current-context"])!.context;
    const cluster = config.clusters.find((c) => c.name === context.cluster)!.cluster;
    const user = config.users.find((u) => u.name === context.user)!.user;
    return { server: cluster.server, caPem: Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8"), token: user.token };
}

/** A minimal Kubernetes REST client: every check asks the API server itself, with these credentials. */
export class KubeClient {
    constructor(public readonly credentials: KubeCredentials) {}

    /** One request; a 429 (the server still settling, e.g. a CRD's storage starting) is retried as client-go does. */
    async request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse> {
        for (let attempt = 1; ; attempt++) {
            const res = await this.send(method, path, body, contentType);
            if (res.status !== 429 || attempt === 10) {
                return res;
            }
            const seconds = Number(res.body?.details?.retryAfterSeconds ?? 1);
            await new Promise((r) => setTimeout(r, Math.min(seconds, 5) * 1000));
        }
    }

    private send(method: string, path: string, body: unknown, contentType: string): Promise<KubeResponse> {
        const url = new URL(path, this.credentials.server);
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const req = https.request(
                url,
                {
                    method,
                    ca: this.credentials.caPem,
                    headers: {
                        Authorization: `Bearer ${this.credentials.token}`,
                        Accept: "application/json",
                        ...(payload === undefined ? {} : { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) }),
                    },
                    timeout: 30_000,
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        let parsed: unknown = text;
                        try {
                            parsed = text === "" ? undefined : JSON.parse(text);
                        } catch {
                            // Watch streams and plain-text answers (readyz) stay text.
                        }
                        resolve({ status: res.statusCode ?? 0, body: parsed });
                    });
                },
            );
            req.on("timeout", () => req.destroy(new Error(`${method} ${url.href} timed out`)));
            req.on("error", reject);
            if (payload !== undefined) {
                req.write(payload);
            }
            req.end();
        });
    }

    async get(path: string): Promise<any> {
        const res = await this.request("GET", path);
        if (res.status !== 200) {
            throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        return res.body;
    }

    /** The object at `path`, or undefined when the server answers 404. */
    async find(path: string): Promise<any> {
        const res = await this.request("GET", path);
        if (res.status === 404) {
            return undefined;
        }
        if (res.status !== 200) {
            throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        return res.body;
    }

    /** Whether the server lets these credentials do `verb` on `resource` (a SelfSubjectAccessReview). */
    async can(verb: string, resource: { group?: string; resource: string; namespace?: string; name?: string }): Promise<boolean> {
        const res = await this.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: { verb, group: resource.group ?? "", resource: resource.resource, namespace: resource.namespace, name: resource.name } },
        });
        if (res.status !== 201) {
            throw new Error(`SelfSubjectAccessReview: ${res.status} ${JSON.stringify(res.body)}`);
        }
        return res.body.status.allowed === true;
    }
}

/** The REST path of an object (or, without a name, its collection) from its apiVersion and kind. */
export async function pathOf(client: KubeClient, apiVersion: string, kind: string, namespace: string | undefined, name?: string): Promise<string> {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const resources = (await discovery(client, base)).resources as { name: string; kind: string; namespaced: boolean }[];
    const resource = resources.find((r) => r.kind === kind && !r.name.includes("/"));
    if (!resource) {
        throw new Error(`${apiVersion} ${kind} is not served by ${client.credentials.server}`);
    }
    const ns = resource.namespaced ? `/namespaces/${namespace ?? "default"}` : "";
    return `${base}${ns}/${resource.name}${name ? `/${name}` : ""}`;
}

const discoveryCache = new Map<string, any>();
async function discovery(client: KubeClient, base: string): Promise<any> {
    const key = `${client.credentials.server}${base}`;
    if (!discoveryCache.has(key)) {
        discoveryCache.set(key, await client.get(base));
    }
    return discoveryCache.get(key);
}

/** Forget discovery answers (CRDs come and go between stacks). */
export function resetDiscovery(): void {
    discoveryCache.clear();
}
