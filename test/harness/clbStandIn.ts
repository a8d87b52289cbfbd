import { Readable } from "node:stream";

/**
 * A stand-in for the Classic Load Balancer API under Alibaba Cloud's real API client: only the HTTP
 * exchange is replaced (`@alicloud/tea-typescript`'s `doAction`), so requests are still built, signed and
 * parsed by the client. STS, which the credentials client calls to assume a RAM role, is stood in for the
 * same way (`httpx`, its HTTP layer): `AssumeRole` answers with a session whose key is `STS.session-key`. It knows the load balancers the mocked ACK clusters made (their API server
 * listener on 6443) and keeps each listener's access-control state, so a test can see what the whitelist
 * binding really did. A request for a load balancer it does not know fails as CLB fails.
 *
 * Installed once for the whole test process: no request of Alibaba's client ever leaves it. A test that
 * needs other answers replaces `doAction` for its own duration (see listenerAcl.test.ts).
 */

// Programs here run as a user with Alibaba Cloud credentials in the environment would; without any, the
// client's default chain would look for an ECS instance role on the network. The values are stand-ins.
process.env.ALICLOUD_ACCESS_KEY ??= "stand-in-key-id";
process.env.ALICLOUD_SECRET_KEY ??= "stand-in-key-secret";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the HTTP layer under Alibaba Cloud's API client
const tea = require("@alicloud/tea-typescript") as { doAction: (request: any, runtime?: unknown) => Promise<unknown>; Response: new (message: unknown) => unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the HTTP layer under Alibaba Cloud's credentials client
const httpx = require("httpx") as { request: (url: string, options: any) => Promise<unknown>; read: (response: any, encoding: string) => Promise<unknown> };

export interface ListenerState {
    readonly port: number;
    readonly protocol: string;
    aclStatus: "on" | "off";
    aclType?: string;
    aclId?: string;
}

const loadBalancers = new Map<string, ListenerState[]>();

/** Adds a load balancer (as ACK makes one for its API server), its listeners' whitelists off. */
export function addLoadBalancer(id: string, listeners: { port: number; protocol: string }[]): void {
    loadBalancers.set(id, listeners.map((l) => ({ ...l, aclStatus: "off" })));
}

/** A listener's state, or undefined if there is no such load balancer or listener. */
export function listenerOf(loadBalancerId: string, port: number): ListenerState | undefined {
    return loadBalancers.get(loadBalancerId)?.find((l) => l.port === port);
}

class ClbError extends Error {
    constructor(
        public readonly code: string,
        message: string,
    ) {
        super(message);
    }
}

function answer(action: string, query: Record<string, string>): unknown {
    const listeners = loadBalancers.get(query.LoadBalancerId);
    if (!listeners) {
        throw new ClbError("InvalidLoadBalancerId.NotFound", `The specified LoadBalancerId ${query.LoadBalancerId} does not exist.`);
    }
    if (action === "DescribeLoadBalancerAttribute") {
        return {
            LoadBalancerId: query.LoadBalancerId,
            ListenerPortsAndProtocol: { ListenerPortAndProtocol: listeners.map((l) => ({ ListenerPort: l.port, ListenerProtocol: l.protocol.toLowerCase() })) },
            RequestId: "stand-in",
        };
    }
    const describe = /^DescribeLoadBalancer(TCP|UDP|HTTP|HTTPS)ListenerAttribute$/.exec(action);
    if (describe) {
        const listener = listeners.find((l) => l.port === Number(query.ListenerPort) && l.protocol.toUpperCase() === describe[1]);
        if (!listener) {
            throw new ClbError("InvalidParameter", `There is no ${describe[1]} listener on port ${query.ListenerPort}.`);
        }
        return {
            ListenerPort: listener.port,
            AclStatus: listener.aclStatus,
            ...(listener.aclType ? { AclType: listener.aclType } : {}),
            ...(listener.aclId ? { AclId: listener.aclId } : {}),
            RequestId: "stand-in",
        };
    }
    const set = /^SetLoadBalancer(TCP|UDP|HTTP|HTTPS)ListenerAttribute$/.exec(action);
    if (set) {
        const listener = listeners.find((l) => l.port === Number(query.ListenerPort) && l.protocol.toUpperCase() === set[1]);
        if (!listener) {
            throw new ClbError("InvalidParameter", `There is no ${set[1]} listener on port ${query.ListenerPort}.`);
        }
        if (query.AclStatus === "on" && (!query.AclId || !query.AclType)) {
            throw new ClbError("MissingParameter", "AclId and AclType are mandatory when AclStatus is on.");
        }
        listener.aclStatus = query.AclStatus === "on" ? "on" : "off";
        listener.aclType = query.AclType;
        listener.aclId = query.AclId;
        return { RequestId: "stand-in" };
    }
    throw new ClbError("InvalidAction.NotFound", `The CLB stand-in does not serve ${action}.`);
}

/** The HTTP response CLB gives: the JSON body, or an error (4xx with its code when it has one). */
export function clbResponse(answer: () => unknown): unknown {
    let status = 200;
    let body: unknown;
    try {
        body = answer();
    } catch (error) {
        const code = (error as { code?: string }).code;
        status = code ? 400 : 500;
        body = { Code: code ?? "InternalError", Message: (error as Error).message, RequestId: "stand-in" };
    }
    const message = Object.assign(Readable.from([Buffer.from(JSON.stringify(body))]), { statusCode: status, statusMessage: "", headers: { "content-type": "application/json" } });
    return new tea.Response(message);
}

const watchers = new Set<string[]>();

/** Records the actions the stand-in receives until `restore`. */
export function clbRequests(): { actions: string[]; restore: () => void } {
    const actions: string[] = [];
    watchers.add(actions);
    return { actions, restore: () => watchers.delete(actions) };
}

tea.doAction = async (request: any) => {
    const action = String(request.headers["x-acs-action"]);
    const query = request.query as Record<string, string>;
    watchers.forEach((actions) => actions.push(action));
    return clbResponse(() => answer(action, query));
};

/** One request to STS as it went on the wire: host, query and form fields. */
export interface StsRequest {
    readonly host: string;
    readonly query: Record<string, string>;
    readonly form: Record<string, string>;
}

const stsWatchers = new Set<StsRequest[]>();

/** Records the STS requests the stand-in receives until `restore`. */
export function stsRequests(): { calls: StsRequest[]; restore: () => void } {
    const calls: StsRequest[] = [];
    stsWatchers.add(calls);
    return { calls, restore: () => stsWatchers.delete(calls) };
}

httpx.request = async (url: string, options: { data?: string }) => {
    const parsed = new URL(url);
    if (!/^sts(-vpc)?\.([a-z0-9-]+\.)?aliyuncs\.com$/.test(parsed.host)) {
        throw new Error(`the Alibaba Cloud stand-in serves no ${parsed.host}`);
    }
    const request = { host: parsed.host, query: Object.fromEntries(parsed.searchParams), form: Object.fromEntries(new URLSearchParams(options.data ?? "")) };
    stsWatchers.forEach((calls) => calls.push(request));
    const body =
        request.query.Action === "AssumeRole" && request.form.RoleArn
            ? { RequestId: "stand-in", Credentials: { AccessKeyId: "STS.session-key", AccessKeySecret: "session-secret", SecurityToken: "session-token", Expiration: "2099-01-01T00:00:00Z" } }
            : { RequestId: "stand-in", Code: "MissingParameter", Message: "RoleArn is mandatory for AssumeRole." };
    return { statusCode: "Credentials" in body ? 200 : 400, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) };
};
httpx.read = async (response: { body: Buffer }) => response.body;
