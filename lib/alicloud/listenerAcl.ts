import * as pulumi from "@pulumi/pulumi";

// What runs inside the dynamic provider is serialized with it, so everything below that the provider calls
// uses no imports: npm packages are required by name when the provider runs.

/** A RAM role to assume for the CLB calls, as the alicloud provider's `assumeRole` does. */
export interface AssumeRoleArgs {
    /** The role's ARN, e.g. `acs:ram::123456789012:role/mesh-deployer`. */
    readonly roleArn: string;
    /**
     * Session name, shown in ActionTrail.
     * @default "istio-multicluster"
     */
    readonly sessionName?: string;
    /**
     * Session lifetime in seconds, 900 to the role's maximum.
     * @default 3600
     */
    readonly sessionExpiration?: number;
    /** The external ID the role's trust policy asks for. @default none */
    readonly externalId?: string;
}

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
    /**
     * A RAM role the calls run as, assumed with the environment's credentials; give the one your
     * `alicloud.Provider` assumes.
     * @default `ALICLOUD_ASSUME_ROLE_ARN` (and `ALICLOUD_ASSUME_ROLE_SESSION_NAME`/`_SESSION_EXPIRATION`) when set, as the provider reads them; else none
     */
    readonly assumeRole?: pulumi.Input<AssumeRoleArgs>;
}

interface BindingInputs {
    regionId: string;
    loadBalancerId: string;
    listenerPort: number;
    aclId: string;
    endpoint?: string;
    assumeRole?: AssumeRoleArgs;
}

/**
 * The binding's state: its inputs as last applied (`aclId` as read back on refresh: "" when the listener
 * admits everyone) and the version of the code that wrote it.
 */
export interface BindingState extends BindingInputs {
    stateVersion: number;
}

/**
 * Version of the state this code writes. 1 (no field): written before `read` existed. A state of an older
 * version is updated in place on the next `up`, which stores this code with it.
 */
export const bindingStateVersion = 2;

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

/**
 * The RAM role the calls run as: the binding's own `assumeRole`, else the one the alicloud provider reads
 * from the environment (`ALICLOUD_ASSUME_ROLE_ARN`, `…_SESSION_NAME`, `…_SESSION_EXPIRATION`), else none.
 */
export function assumedRole(env: Record<string, string | undefined>, given: AssumeRoleArgs | undefined): Required<Omit<AssumeRoleArgs, "externalId">> & Pick<AssumeRoleArgs, "externalId"> | undefined {
    const role = given ?? (env.ALICLOUD_ASSUME_ROLE_ARN
        ? { roleArn: env.ALICLOUD_ASSUME_ROLE_ARN, sessionName: env.ALICLOUD_ASSUME_ROLE_SESSION_NAME, sessionExpiration: env.ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION ? Number(env.ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION) : undefined }
        : undefined);
    if (!role) {
        return undefined;
    }
    return { roleArn: role.roleArn, sessionName: role.sessionName || "istio-multicluster", sessionExpiration: role.sessionExpiration ?? 3600, ...(role.externalId ? { externalId: role.externalId } : {}) };
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

const aclProtocols = ["TCP", "UDP", "HTTP", "HTTPS"];

/** The CLB API call that turns a listener's whitelist on, with the given list. */
export function listenerAclRequest(inputs: BindingInputs, protocol: string): { action: string; query: Record<string, string> } {
    if (!aclProtocols.includes(protocol)) {
        throw new Error(`listener ${inputs.loadBalancerId}:${inputs.listenerPort} speaks ${protocol}, which takes no access list`);
    }
    return {
        action: `SetLoadBalancer${protocol}ListenerAttribute`,
        query: {
            RegionId: inputs.regionId,
            LoadBalancerId: inputs.loadBalancerId,
            ListenerPort: String(inputs.listenerPort),
            AclStatus: "on",
            AclType: "white",
            AclId: inputs.aclId,
        },
    };
}

/**
 * The whitelist in force, from a `DescribeLoadBalancer<protocol>ListenerAttribute` response body: its ACL
 * ID, or "" when the listener admits everyone (no access list, or a blacklist).
 */
export function whitelistInForce(listenerAttribute: unknown): string {
    const { AclStatus, AclType, AclId } = (listenerAttribute ?? {}) as { AclStatus?: string; AclType?: string; AclId?: string };
    return AclStatus === "on" && AclType === "white" ? String(AclId ?? "") : "";
}

/** Errors CLB answers while a load balancer is busy or calls come too fast: worth the same call again. */
const busyErrorCodes = ["SystemBusy", "OperationBusy", "ServiceIsConfiguring", "ServiceIsStopping", "BackendServer.configuring", "Throttling", "Throttling.User", "Throttling.Api", "ServiceUnavailable"];

/** Errors saying the load balancer or the listener is gone. */
function isGone(error: unknown): boolean {
    return (error as { code?: unknown }).code === "InvalidLoadBalancerId.NotFound" || /has no listener on port/.test(String(error));
}

type ClbCall = (action: string, query: Record<string, string>) => Promise<unknown>;

/**
 * A caller of the CLB API (RPC style, version 2014-05-15) returning response bodies, with one credential
 * (one role session) for all its calls. The client retries what never reached CLB; a busy load balancer or
 * throttling is retried here, up to four attempts in about 2 s.
 */
function clbCaller(inputs: BindingInputs): ClbCall {
    /* eslint-disable @typescript-eslint/no-require-imports -- required when the provider runs, not serialized with it */
    const { default: OpenApi, Config, OpenApiRequest, Params } = require("@alicloud/openapi-client");
    const credentials = require("@alicloud/credentials");
    const { RuntimeOptions } = require("@alicloud/tea-util");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const source = credentialConfig(process.env);
    const role = assumedRole(process.env, inputs.assumeRole);
    let credential;
    if (role) {
        const sourceProvider = !source
            ? credentials.DefaultCredentialsProvider.builder().build()
            : source.securityToken
              ? credentials.StaticSTSCredentialsProvider.builder().withAccessKeyId(source.accessKeyId).withAccessKeySecret(source.accessKeySecret).withSecurityToken(source.securityToken).build()
              : credentials.StaticAKCredentialsProvider.builder().withAccessKeyId(source.accessKeyId).withAccessKeySecret(source.accessKeySecret).build();
        const assume = credentials.RAMRoleARNCredentialsProvider.builder()
            .withCredentialsProvider(sourceProvider)
            .withRoleArn(role.roleArn)
            .withRoleSessionName(role.sessionName)
            .withDurationSeconds(role.sessionExpiration)
            .withExternalId(role.externalId)
            .build();
        credential = new credentials.default(null, assume);
    } else {
        credential = source ? new credentials.default(new credentials.Config(source)) : new credentials.default();
    }
    const client = new OpenApi(new Config({ credential, endpoint: inputs.endpoint ?? clbEndpoint(inputs.regionId), regionId: inputs.regionId }));
    const params = {
        version: "2014-05-15",
        protocol: "HTTPS",
        pathname: "/",
        method: "POST",
        bodyType: "json",
        // Stryker disable next-line StringLiteral,ObjectLiteral: with no body and the ACS3-HMAC-SHA256 signature, the client builds the same request whatever these say (as the stand-in sees it)
        ...{ authType: "AK", style: "RPC", reqBodyType: "formData" },
    };
    return async (action, query) => {
        for (let attempt = 1; ; attempt++) {
            try {
                const response = await client.callApi(new Params({ ...params, action }), new OpenApiRequest({ query }), new RuntimeOptions({ autoretry: true, maxAttempts: 3 }));
                return response.body;
            } catch (error) {
                const code = (error as { code?: unknown }).code;
                if (attempt >= 4 || typeof code !== "string" || !busyErrorCodes.includes(code)) {
                    throw clbError(error, action, inputs.loadBalancerId);
                }
                await new Promise((resolve) => setTimeout(resolve, 300 * 2 ** (attempt - 1)));
            }
        }
    };
}

/**
 * A CLB error as one line: the call, the load balancer, Alibaba's code and message; `code` kept. A failure
 * that never reached CLB has no code; the client's last one, after its retries, has no message either.
 */
export function clbError(error: unknown, action: string, loadBalancerId: string): Error {
    const { code, data, message, name } = error as { code?: unknown; data?: { Message?: unknown; RequestId?: unknown }; message?: unknown; name?: unknown };
    if (!code) {
        return new Error(`CLB ${action} on ${loadBalancerId} failed: ${String(message || `no answer after the client's retries (${String(name)})`)}`);
    }
    const permission = /^(Forbidden|NoPermission)/.test(String(code))
        ? "; the deploying identity needs slb:DescribeLoadBalancerAttribute, slb:DescribeLoadBalancer*ListenerAttribute and slb:SetLoadBalancer*ListenerAttribute"
        : "";
    const request = data?.RequestId ? ` (request ${data.RequestId})` : "";
    return Object.assign(new Error(`CLB ${action} on ${loadBalancerId} failed with ${code}: ${data?.Message ?? message}${permission}${request}`), { code });
}

/** The listener's protocol, looked up on its load balancer. */
async function protocolOf(callClb: ClbCall, inputs: BindingInputs): Promise<string> {
    const attribute = await callClb("DescribeLoadBalancerAttribute", { RegionId: inputs.regionId, LoadBalancerId: inputs.loadBalancerId });
    return listenerProtocol(attribute, inputs.listenerPort, inputs.loadBalancerId);
}

/** Switches the listener's whitelist on with the binding's list, and returns the state to keep. */
async function applyWhitelist(inputs: BindingInputs): Promise<BindingState> {
    if (!inputs.loadBalancerId) {
        throw new Error(
            `the cluster reported no API server load balancer ID, so the whitelist on port ${inputs.listenerPort} cannot be set; check that the cluster's API server is on a CLB (slbId in its state), then run \`pulumi up\` again`,
        );
    }
    const callClb = clbCaller(inputs);
    const request = listenerAclRequest(inputs, await protocolOf(callClb, inputs));
    await callClb(request.action, request.query);
    return { ...inputs, stateVersion: bindingStateVersion };
}

/** The binding's inputs whose change replaces it: another listener is another binding. */
export const bindingReplacedOnChange = ["regionId", "loadBalancerId", "listenerPort"] as const;

/**
 * Binds an access control list to a listener someone else created (ACK's API server listener).
 *
 * `read` and `delete` run the code stored in the state with the resource, which may be older than the
 * library's: keep them small, and let them accept every `stateVersion` written before.
 */
export const listenerAclProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id, olds: BindingState, news: BindingInputs) {
        const replaces = bindingReplacedOnChange.filter((key) => olds[key] !== news[key]);
        const changed =
            olds.aclId !== news.aclId ||
            olds.endpoint !== news.endpoint ||
            JSON.stringify(olds.assumeRole ?? null) !== JSON.stringify(news.assumeRole ?? null) ||
            // State written by older code is rewritten, with this code, in place.
            olds.stateVersion !== bindingStateVersion;
        return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: true };
    },
    async create(inputs: BindingInputs) {
        return { id: `${inputs.loadBalancerId}:${inputs.listenerPort}`, outs: await applyWhitelist(inputs) };
    },
    async update(_id, _olds: BindingState, news: BindingInputs) {
        return { outs: await applyWhitelist(news) };
    },
    /** What is in force now: a whitelist switched off or replaced in the console shows as a changed `aclId`. */
    async read(id, props: BindingState) {
        try {
            const callClb = clbCaller(props);
            const protocol = await protocolOf(callClb, props);
            const attribute = await callClb(`DescribeLoadBalancer${protocol}ListenerAttribute`, {
                RegionId: props.regionId,
                LoadBalancerId: props.loadBalancerId,
                ListenerPort: String(props.listenerPort),
            });
            return { id, props: { ...props, aclId: whitelistInForce(attribute) } };
        } catch (error) {
            if (isGone(error)) {
                // The listener went with its cluster: so has the binding.
                return {};
            }
            throw error;
        }
    },
    /**
     * Leaves the whitelist in force. The binding is deleted before the node pool and the cluster, which take
     * minutes to go; switching the list off then would open the API server to anyone meanwhile. The list
     * goes with the listener, when ACK deletes the cluster's load balancer.
     */
    async delete() {},
};

/**
 * A CLB listener's whitelist, set on a listener this program does not own. No provider resource can do
 * that (ACK creates the API server's listener), so this one calls the CLB API. Credentials come from the
 * environment (`ALICLOUD_ACCESS_KEY`/`ALICLOUD_SECRET_KEY`/`ALICLOUD_SECURITY_TOKEN`, else Alibaba Cloud's
 * default chain: `ALIBABA_CLOUD_*`, `ALIBABA_CLOUD_PROFILE`, an ECS RAM role), then `assumeRole` (or
 * `ALICLOUD_ASSUME_ROLE_ARN`) when given, as an `alicloud.Provider` does: they must name the account the
 * cluster is in. When it runs, the provider loads `@alicloud/openapi-client`, `@alicloud/credentials` and
 * `@alicloud/tea-util` from the program's `node_modules` (npm and yarn hoist them there; with pnpm, add
 * them to the program). `pulumi refresh` reads the whitelist in force; destroying the binding leaves it on.
 */
export class ListenerAclBinding extends pulumi.dynamic.Resource {
    public readonly aclId!: pulumi.Output<string>;
    public readonly stateVersion!: pulumi.Output<number>;

    constructor(name: string, args: ListenerAclBindingArgs, opts?: pulumi.CustomResourceOptions) {
        super(listenerAclProvider, name, { ...args, stateVersion: undefined }, opts);
    }
}
