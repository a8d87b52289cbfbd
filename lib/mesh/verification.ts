/**
 * Istio's multicluster check (samples/helloworld and samples/sleep): helloworld v1 in one cluster, v2 in
 * another, the helloworld Service and a sleep client in every cluster. Calling helloworld from sleep in any
 * cluster then answers from both versions, which shows cross-cluster discovery, mTLS and (across networks)
 * the east-west gateways working. Pure.
 */

export const verificationNamespace = "sample";

export interface VerificationImages {
    /** @default "docker.io/istio/examples-helloworld" (then `-v1:1.0`, `-v2:1.0`) */
    readonly helloworld?: string;
    /** @default "docker.io/curlimages/curl:8.16.0" */
    readonly curl?: string;
}

interface Manifest {
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
interface DeploymentManifest extends Manifest {
    spec: {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
    };
}
interface Container {
    name: string;
    image: string;
    command?: string[];
    ports?: { containerPort: number }[];
}

/** The objects for one cluster: namespace (labelled for injection), Service, sleep, and the given version. */
export function verificationObjects(args: {
    version?: "v1" | "v2";
    injectionLabels: Record<string, string>;
    images?: VerificationImages;
}): { namespace: Manifest; service: Manifest & { spec: Record<string, unknown> }; deployments: DeploymentManifest[] } {
    const ns = verificationNamespace;
    const deployment = (name: string, labels: Record<string, string>, container: Container): DeploymentManifest => ({
        metadata: { name, namespace: ns, labels },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } },
    });
    return {
        namespace: { metadata: { name: ns, labels: args.injectionLabels } },
        service: {
            metadata: { name: "helloworld", namespace: ns, labels: { app: "helloworld", service: "helloworld" } },
            spec: { ports: [{ port: 5000, name: "http" }], selector: { app: "helloworld" } },
        },
        deployments: [
            deployment("sleep", { app: "sleep" }, { name: "sleep", image: args.images?.curl ?? "docker.io/curlimages/curl:8.16.0", command: ["/bin/sleep", "infinity"] }),
            ...(args.version
                ? [
                      deployment(`helloworld-${args.version}`, { app: "helloworld", version: args.version }, {
                          name: "helloworld",
                          image: `${args.images?.helloworld ?? "docker.io/istio/examples-helloworld"}-${args.version}:1.0`,
                          ports: [{ containerPort: 5000 }],
                      }),
                  ]
                : []),
        ],
    };
}

/** The command that shows both versions answering, from the given cluster's kube context. */
export function verificationCommand(context: string): string {
    return `for i in $(seq 10); do kubectl --context=${context} -n ${verificationNamespace} exec deploy/sleep -c sleep -- curl -sS helloworld.${verificationNamespace}:5000/hello; done`;
}
