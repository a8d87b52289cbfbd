import * as pulumi from "@pulumi/pulumi";

// What runs inside the dynamic provider is serialized with it, so everything below that the provider calls
// uses no imports: npm packages are required by name when the provider runs.

export interface ListenerAclBindingArgs {
    /** Region of the load balancer. */
    readonly regionId: pulumi.Input<string>;
    /** The Classic Load Balancer (CLB) whose listener is restricted. */
    readonly loadBalancerId: pulumi.Input<string>;
    /** The listener's frontend port. */
    readonly listenerPort: pulumi.Input<number>;
    /** The access control list applied to it as a whitelist. */
    readonly aclId: pulumi.Input<string>;
    /**
     * CLB API endpoint (host name).
     * @default the region's endpoint (`slb.aliyuncs.com` for the regions it serves)
     */
    readonly endpoint?: pulumi.Input<string>;
}

interface BindingInputs {
    regionId: string;
    loadBalancerId: string;
    listenerPort: number;
    aclId: string;
    endpoint?: string;
}

/** Regions the central CLB endpoint serves; every other region has `slb.<region>.aliyuncs.com`. */
const centralEndpointRegions = ["cn-qingdao", "cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen", "cn-hongkong", "ap-southeast-1", "us-west-1", "us-east-1"];

/** The CLB API host for a region. */
export function clbEndpoint(regionId: string): string {
    return centralEndpointRegions.includes(regionId) ? "slb.aliyuncs.com" : `slb.${regionId}.aliyuncs.com`;
}

/**
 * Credentials as the alicloud provider takes them from the environment (`ALICLOUD_ACCESS_KEY`,
 * `ALICLOUD_SECRET_KEY`, `ALICLOUD_SECURITY_TOKEN`), or undefined to use Alibaba Cloud's default chain
 * (`ALIBABA_CLOUD_ACCESS_KEY_ID`…, the CLI profile, an ECS RAM role, OIDC).
 */
export function credentialConfig(env: Record<string, string | undefined>): { type: string; accessKeyId: string; accessKeySecret: string; securityToken?: string } | undefined {
    if (env.ALIBABA_CLOUD_ACCESS_KEY_ID || !env.ALICLOUD_ACCESS_KEY || !env.ALICLOUD_SECRET_KEY) {
        return undefined;
    }
    return env.ALICLOUD_SECURITY_TOKEN
        ? { type: "sts", accessKeyId: env.ALICLOUD_ACCESS_KEY, accessKeySecret: env.ALICLOUD_SECRET_KEY, securityToken: env.ALICLOUD_SECURITY_TOKEN }
        : { type: "access_key", accessKeyId: env.ALICLOUD_ACCESS_KEY, accessKeySecret: env.ALICLOUD_SECRET_KEY };
}

/** The protocol of a CLB's listener on `port`, from a `DescribeLoadBalancerAttribute` response body. */
export function listenerProtocol(attribute: unknown, port: number, loadBalancerId: string): string {
    const listeners =
        (attribute as { ListenerPortsAndProtocol?: { ListenerPortAndProtocol?: { ListenerPort: number; ListenerProtocol: string }[] } })?.ListenerPortsAndProtocol
            ?.ListenerPortAndProtocol ?? [];
    const listener = listeners.find((l) => Number(l.ListenerPort) === Number(port));
    if (!listener) {
        throw new Error(`load balancer ${loadBalancerId} has no listener on port ${port} (it has ${listeners.map((l) => l.ListenerPort).join(", ") || "none"})`);
    }
    return String(listener.ListenerProtocol).toUpperCase();
}

/** The CLB API call that turns a listener's whitelist on (with the list) or off. */
export function listenerAclRequest(inputs: BindingInputs, protocol: string, enabled: boolean): { action: string; query: Record<string, string> } {
    if (!["TCP", "UDP", "HTTP", "HTTPS"].includes(protocol)) {
        throw new Error(`listener ${inputs.loadBalancerId}:${inputs.listenerPort} speaks ${protocol}, which takes no access list`);
    }
    return {
        action: `SetLoadBalancer${protocol}ListenerAttribute`,
        query: {
            RegionId: inputs.regionId,
            LoadBalancerId: inputs.loadBalancerId,
            ListenerPort: String(inputs.listenerPort),
            AclStatus: enabled ? "on" : "off",
            ...(enabled ? { AclType: "white", AclId: inputs.aclId } : {}),
        },
    };
}

/** Calls the CLB API (RPC style, version 2014-05-15) and returns the response body. */
async function callClb(inputs: BindingInputs, action: string, query: Record<string, string>): Promise<unknown> {
    /* eslint-disable @typescript-eslint/no-require-imports -- required when the provider runs, not serialized with it */
    const { default: OpenApi, Config, OpenApiRequest, Params } = require("@alicloud/openapi-client");
    const { default: Credential, Config: CredentialConfig } = require("@alicloud/credentials");
    const { RuntimeOptions } = require("@alicloud/tea-util");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const fromEnvironment = credentialConfig(process.env);
    const client = new OpenApi(
        new Config({
            credential: fromEnvironment ? new Credential(new CredentialConfig(fromEnvironment)) : new Credential(),
            endpoint: inputs.endpoint ?? clbEndpoint(inputs.regionId),
            regionId: inputs.regionId,
        }),
    );
    const params = new Params({
        action,
        version: "2014-05-15",
        protocol: "HTTPS",
        pathname: "/",
        method: "POST",
        bodyType: "json",
        // Stryker disable next-line StringLiteral: with no body and the ACS3-HMAC-SHA256 signature, the client builds the same request whatever these say (as the stand-in sees it)
        ...{ authType: "AK", style: "RPC", reqBodyType: "formData" },
    });
    const response = await client.callApi(params, new OpenApiRequest({ query }), new RuntimeOptions({ autoretry: true, maxAttempts: 3 }));
    return response.body;
}

/** Looks the listener's protocol up and sets its whitelist on or off. */
async function applyListenerAcl(inputs: BindingInputs, enabled: boolean): Promise<void> {
    const attribute = await callClb(inputs, "DescribeLoadBalancerAttribute", { RegionId: inputs.regionId, LoadBalancerId: inputs.loadBalancerId });
    const request = listenerAclRequest(inputs, listenerProtocol(attribute, inputs.listenerPort, inputs.loadBalancerId), enabled);
    await callClb(inputs, request.action, request.query);
}

/** Binds an access control list to a listener someone else created (ACK's API server listener). */
export const listenerAclProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id, olds: BindingInputs, news: BindingInputs) {
        const replaces = (["regionId", "loadBalancerId", "listenerPort"] as const).filter((key) => olds[key] !== news[key]);
        return { changes: replaces.length > 0 || olds.aclId !== news.aclId || olds.endpoint !== news.endpoint, replaces, deleteBeforeReplace: true };
    },
    async create(inputs: BindingInputs) {
        await applyListenerAcl(inputs, true);
        return { id: `${inputs.loadBalancerId}:${inputs.listenerPort}`, outs: inputs };
    },
    async update(_id, _olds: BindingInputs, news: BindingInputs) {
        await applyListenerAcl(news, true);
        return { outs: news };
    },
    async delete(_id, props: BindingInputs) {
        // The load balancer may already be gone with its cluster; then there is nothing to turn off.
        try {
            await applyListenerAcl(props, false);
        } catch (error) {
            const gone = (error as { code?: unknown }).code === "InvalidLoadBalancerId.NotFound" || /has no listener on port/.test(String(error));
            if (!gone) {
                throw error;
            }
        }
    },
};

/**
 * A CLB listener's whitelist, set on a listener this program does not own. No provider resource can do
 * that (ACK creates the API server's listener), so this one calls the CLB API. Credentials come from the
 * environment only (`ALICLOUD_ACCESS_KEY`/`ALICLOUD_SECRET_KEY`/`ALICLOUD_SECURITY_TOKEN`, else Alibaba
 * Cloud's default chain: `ALIBABA_CLOUD_*`, `ALIBABA_CLOUD_PROFILE`, an ECS RAM role), not from an
 * `alicloud.Provider`'s arguments: they must name the account the cluster is in. When it runs, the
 * provider loads `@alicloud/openapi-client`, `@alicloud/credentials` and `@alicloud/tea-util` from the
 * program's `node_modules` (npm and yarn hoist them there; with pnpm, add them to the program).
 * Destroying it turns the whitelist off.
 */
export class ListenerAclBinding extends pulumi.dynamic.Resource {
    public readonly aclId!: pulumi.Output<string>;

    constructor(name: string, args: ListenerAclBindingArgs, opts?: pulumi.CustomResourceOptions) {
        super(listenerAclProvider, name, { ...args }, opts);
    }
}
