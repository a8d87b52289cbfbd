import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { KeyPool } from "./keyPool";
import { clusterOf, kubernetesCreate, kubernetesRead, objectsMade } from "./kubernetesProvider";
import { isSecretWrapper, wrapSecret } from "./secrets";
import { TlsProviderMock } from "./tlsProvider";
import { VirtualClock } from "./virtualClock";

/** One `RegisterResource` call as the engine would receive it, with secret wrappers left in place. */
export interface Registration {
    /** Order in which registrations reached the engine (0-based). */
    index: number;
    type: string;
    name: string;
    urn?: string;
    custom: boolean;
    /** A read of an existing object (`Resource.get`) rather than a registration. */
    read?: boolean;
    /** The ID a read asked for, or the one the provider gave a created resource. */
    id?: string;
    parent?: string;
    provider?: string;
    /** Inputs as sent; secrets stay `{ <sig>: <secretSig>, value }` objects. */
    inputs: Record<string, unknown>;
    /** URNs of every resource this one waits for (explicit `dependsOn` and those its inputs came from). */
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** The names (or URNs) of the resource's aliases: what it was called before. */
    aliases: string[];
    version: string;
    /** Logical times: when the engine started and finished the registration (a shared counter). */
    startedAt: number;
    finishedAt?: number;
    /** Outputs the mock provider returned (after the engine's `additionalSecretOutputs`). */
    state?: Record<string, unknown>;
    /** A component's outputs, as `registerOutputs` sent them; secrets stay wrapped. */
    outputs?: Record<string, unknown>;
    /** With `virtualTime`: simulated seconds at which the work started and finished. */
    virtualStart?: number;
    virtualFinish?: number;
    /** With `virtualTime`: when the work reached the cloud; earlier than `virtualStart` if a lane held it. */
    virtualArrival?: number;
}

export interface ResourceResult {
    id?: string;
    state: Record<string, unknown>;
}
export type ResourceHandler = (
    registration: Registration,
) => Promise<ResourceResult | undefined> | ResourceResult | undefined;
/** Answers an invoke; `provider` is the registration of the provider instance it went through, if any. */
export type InvokeHandler = (inputs: Record<string, unknown>, context: { provider?: Registration }) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface MockCloudOptions {
    project?: string;
    stack?: string;
    preview?: boolean;
    /**
     * Providers for resource types (exact type token). Besides these, the mock serves only the tls and
     * Kubernetes types it emulates, provider instances and components: any other type fails its registration.
     */
    resources?: Record<string, ResourceHandler>;
    /** Every function a program may invoke; any other invoke fails the program. */
    invokes?: Record<string, InvokeHandler>;
    /** Milliseconds a registration of the given type takes before the engine answers. */
    latencyMs?: Record<string, number>;
    /**
     * Simulated deployment time instead of real latency: seconds per resource type (or per registration,
     * where one type covers work of different lengths, like Helm charts), and the lanes of work the cloud
     * serializes (e.g. one transit router). Registrations record `virtualStart`/`virtualFinish`.
     */
    virtualTime?: {
        secondsByType?: Record<string, number>;
        seconds?: (registration: Registration) => number;
        lane?: (registration: Registration) => string | readonly string[] | undefined;
    };
}

/**
 * Wraps the SDK's own mock monitor so each `RegisterResource` request is recorded with what the mocks API
 * leaves out (parent, dependencies, protect, provider, additionalSecretOutputs …) before it is served.
 */
function recordRequests(monitor: MockMonitor, cloud: MockCloud): void {
    const serve = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, response: any) => void) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const registration = cloud.record({
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent() || undefined,
            provider: req.getProvider() || undefined,
            inputs: req.getObject()?.toJavaScript() ?? {},
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            protect: req.getProtect(),
            retainOnDelete: req.getRetainondelete(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            aliases: req.getAliasesList().map((a: any) => (a.hasSpec() ? a.getSpec().getName() : a.getUrn())),
            version: req.getVersion(),
        });
        return serve(req, (err, response) => {
            registration.urn = response?.getUrn();
            registration.finishedAt = cloud.tick();
            const duplicate = cloud.registrations.find((r) => r !== registration && !r.read && r.urn !== undefined && r.urn === registration.urn);
            if (!err && duplicate) {
                // The engine refuses a second resource with the same URN; so does this mock.
                const message = `Duplicate resource URN '${registration.urn}'; try giving it a unique name`;
                callback(Object.assign(new Error(message), { details: message }), undefined);
                return;
            }
            callback(err, response);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: any, response: any) => void) => {
        const registration = cloud.registrations.find((r) => r.urn === req.getUrn());
        if (registration) {
            registration.outputs = req.getOutputs()?.toJavaScript() ?? {};
        }
        return registerOutputs(req, callback);
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req: any, callback: (err: any, response: any) => void) => {
        const registration = cloud.record({
            type: req.getType(),
            name: req.getName(),
            custom: true,
            read: true,
            id: req.getId(),
            parent: req.getParent() || undefined,
            provider: req.getProvider() || undefined,
            inputs: req.getProperties()?.toJavaScript() ?? {},
            dependencies: req.getDependenciesList(),
            propertyDependencies: {},
            deleteBeforeReplace: false,
            ignoreChanges: [],
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            aliases: [],
            version: req.getVersion(),
        });
        return read(req, (err, response) => {
            registration.urn = response?.getUrn();
            registration.finishedAt = cloud.tick();
            callback(err, response);
        });
    };
}

/**
 * A mocked engine and cloud for the real `@pulumi/pulumi` SDK. Records every registration in order with
 * the options the engine sees, emulates the `tls` provider with real keys and certificates, applies
 * `additionalSecretOutputs` as the engine does, and fails any invoke that a test did not mock.
 */
export class MockCloud {
    public readonly registrations: Registration[] = [];
    public readonly invocations: { token: string; inputs: Record<string, unknown> }[] = [];
    private clock = 0;
    private readonly pending = new Set<Promise<unknown>>();
    private readonly tls = new TlsProviderMock(new KeyPool());
    /** Objects the program put on its clusters (see `objectsMade`). */
    private readonly kubernetesObjects = new Set<string>();
    private current?: Registration;

    /** Simulated time, when `virtualTime` is set. */
    public readonly virtualClock?: VirtualClock;

    private constructor(private readonly options: MockCloudOptions) {
        this.virtualClock = options.virtualTime ? new VirtualClock() : undefined;
    }

    /** The mock installed last: the one a running test's program talks to. */
    public static latest?: MockCloud;

    /** Points the Pulumi runtime at a fresh mock; the previous one's records are left behind. */
    public static install(options: MockCloudOptions = {}): MockCloud {
        const cloud = new MockCloud(options);
        MockCloud.latest = cloud;
        const project = options.project ?? "project";
        const stack = options.stack ?? "stack";
        void pulumi.runtime.setMocks(
            {
                newResource: (args) =>
                    cloud.provide(args.type, args.name, args.inputs as Record<string, unknown>) as Promise<{
                        id: string;
                        state: Record<string, unknown>;
                    }>,
                call: (args) => cloud.call(args.token, args.inputs as Record<string, unknown>, args.provider),
            },
            project,
            stack,
            options.preview ?? false,
        );
        recordRequests(getMonitor() as unknown as MockMonitor, cloud);
        return cloud;
    }

    public tick(): number {
        return this.clock++;
    }

    public record(fields: Omit<Registration, "index" | "startedAt">): Registration {
        const registration: Registration = { ...fields, index: this.registrations.length, startedAt: this.tick() };
        this.registrations.push(registration);
        this.current = registration;
        return registration;
    }

    public provide(type: string, name: string, inputs: Record<string, unknown>): Promise<ResourceResult> {
        const registration = this.current;
        if (!registration || registration.type !== type || registration.name !== name) {
            throw new Error(`registration of ${type} ${name} arrived without its request`);
        }
        this.current = undefined;
        const work = this.answer(registration, inputs);
        this.pending.add(work);
        return work.finally(() => this.pending.delete(work));
    }

    private async answer(registration: Registration, inputs: Record<string, unknown>): Promise<ResourceResult> {
        const latency = this.options.latencyMs?.[registration.type];
        if (latency) {
            await new Promise((resolve) => setTimeout(resolve, latency));
        }
        if (this.virtualClock) {
            const time = this.options.virtualTime!;
            const seconds = time.seconds?.(registration) ?? time.secondsByType?.[registration.type] ?? 0;
            const { arrival, start, finish } = await this.virtualClock.run(seconds, time.lane?.(registration));
            registration.virtualArrival = arrival;
            registration.virtualStart = start;
            registration.virtualFinish = finish;
            return this.virtualClock.hold(() => this.produce(registration, inputs));
        }
        return this.produce(registration, inputs);
    }

    /** The provider's answer to a registration. */
    private async produce(registration: Registration, inputs: Record<string, unknown>): Promise<ResourceResult> {
        let result: ResourceResult;
        const handler = this.options.resources?.[registration.type];
        if (handler) {
            result = (await handler(registration)) ?? { id: `${registration.name}-id`, state: inputs };
        } else if (registration.type.startsWith("tls:index/") && this.options.preview) {
            // A resource being created has no computed outputs in a preview (its inputs may be unknown
            // too): keys and certificates are unknown until `up`.
            result = { id: "", state: { ...inputs, ...Object.fromEntries(TlsProviderMock.computedOutputs.map((k) => [k, pulumi.runtime.unknownValue])) } };
        } else if (registration.type.startsWith("tls:index/")) {
            result = await this.tls.create(registration.type, registration.name, inputs);
        } else if (registration.read && registration.type.startsWith("kubernetes:")) {
            const idKnown = registration.id !== pulumi.runtime.unknownValue;
            const state = idKnown
                ? kubernetesRead(registration.type, registration.provider, registration.id ?? "", (key) => this.kubernetesObjects.has(key))
                : kubernetesRead(registration.type, registration.provider, "unknown/unknown", () => true);
            if (!state) {
                throw new Error(`the Kubernetes mock cannot read ${registration.type} ${registration.id} on ${clusterOf(registration.provider)}: the program made no such object there`);
            }
            // In a preview, a read whose ID is not known yet yields unknown outputs, as the engine does.
            result = idKnown
                ? { id: registration.id, state }
                : { id: registration.id, state: Object.fromEntries(Object.keys(state).map((k) => [k, pulumi.runtime.unknownValue])) };
        } else if (registration.type.startsWith("kubernetes:")) {
            const state = kubernetesCreate(registration.type, registration.provider, inputs, this.options.preview ?? false);
            for (const key of objectsMade(registration.type, registration.provider, inputs)) {
                this.kubernetesObjects.add(key);
            }
            result = { id: `${registration.name}-id`, state };
        } else if (!registration.custom || registration.type.startsWith("pulumi:providers:")) {
            // Components and provider instances do no cloud work: their state is what they were given.
            result = { id: registration.custom ? `${registration.name}-id` : undefined, state: inputs };
        } else {
            throw new Error(`the mock cloud has no provider for ${registration.type}: a test must say what the cloud answers for every resource type`);
        }
        const state = { ...result.state };
        for (const key of registration.additionalSecretOutputs) {
            if (key in state && !isSecretWrapper(state[key])) {
                state[key] = wrapSecret(state[key]);
            }
        }
        registration.state = state;
        registration.id ??= result.id;
        return { id: result.id, state };
    }

    public async call(token: string, inputs: Record<string, unknown>, providerRef?: string): Promise<Record<string, unknown>> {
        this.invocations.push({ token, inputs });
        const handler = this.options.invokes?.[token];
        if (!handler) {
            // The SDK reports a failed invoke by the gRPC error's `details`, as the engine sends it.
            const message = `unmocked invoke ${token}: a test must mock every function the program calls`;
            throw Object.assign(new Error(message), { details: message });
        }
        const providerUrn = providerRef?.slice(0, providerRef.lastIndexOf("::"));
        return handler(inputs, { provider: providerUrn ? this.registrations.find((r) => r.urn === providerUrn) : undefined });
    }

    /** Waits until no registration is in flight and none starts within a few turns of the event loop. */
    public async settle(): Promise<void> {
        for (let quiet = 0; quiet < 5; ) {
            if (this.pending.size > 0) {
                await Promise.allSettled([...this.pending]);
                quiet = 0;
            } else {
                await new Promise((resolve) => setImmediate(resolve));
                quiet++;
            }
        }
    }

    public find(type: string, name: string): Registration {
        const found = this.registrations.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
        }
        return found[0];
    }

    public ofType(type: string): Registration[] {
        return this.registrations.filter((r) => r.type === type);
    }

    public byUrn(urn: string): Registration {
        const found = this.registrations.find((r) => r.urn === urn);
        if (!found) {
            throw new Error(`no registration with URN ${urn}`);
        }
        return found;
    }
}

interface OutputInternals<T> {
    promise(withUnknowns?: boolean): Promise<T>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
}

/** Resolves an output the way the engine sees it: its value, whether it is known, whether it is secret. */
export async function inspect<T>(output: pulumi.Output<T>): Promise<{ value: T; known: boolean; secret: boolean }> {
    const internals = output as unknown as OutputInternals<T>;
    const [value, known, secret] = await Promise.all([internals.promise(true), internals.isKnown, internals.isSecret]);
    return { value, known, secret };
}

export async function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (await inspect(output)).value;
}

/** Awaits a resource's URN, i.e. until the engine has answered its registration. */
export function urnOf(resource: pulumi.Resource): Promise<string> {
    return valueOf(resource.urn);
}

/**
 * Runs `work` and returns how the program failed, as Pulumi reports a resource that could not be
 * registered: the rejection nobody awaits is the program's error.
 */
export async function programFailures(work: () => Promise<void> | void): Promise<string[]> {
    const failures: string[] = [];
    const record = (reason: unknown) => failures.push(failureMessage(reason));
    process.on("unhandledRejection", record);
    collecting++;
    try {
        await work();
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
        collecting--;
        process.off("unhandledRejection", record);
    }
    if (failures.length > 0) {
        // The registrations a failed program could not make never settle; the engine would have ended it
        // with its errors, so they are not leaks (see `unsettledRegistrations`).
        unsettledRegistrations();
    }
    return failures;
}

/**
 * The SDK's promises that have not settled since the last call, which it forgets then: what a program
 * still waits for (a cycle, or an Output nobody resolves). At exit, the SDK reports them and fails the
 * process.
 */
export function unsettledRegistrations(): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal to the SDK; its declarations omit it
    const { leakedPromises } = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises: () => [Set<{ _debugCtx?: string }>, string] };
    const [leaked] = leakedPromises();
    return [...leaked].map((p) => String(p._debugCtx));
}

/** How many `programFailures` calls are collecting rejections right now (they own them then). */
let collecting = 0;

/** Whether a rejection nobody awaits is being collected as a program's failure. */
export function collectingProgramFailures(): boolean {
    return collecting > 0;
}

/** A failure as Pulumi reports it: the engine's `details` where the SDK has them. */
export function failureMessage(reason: unknown): string {
    return String((reason as { details?: string })?.details ?? (reason instanceof Error ? reason.message : reason));
}
