import * as pulumi from "@pulumi/pulumi";
import { MeshConfig, MultiClusterMesh } from "../../lib";
import { alicloudInvokes, alicloudPreviewResources, alicloudResources } from "../harness/alicloudProvider";
import { MockCloud, Registration, inspect, programFailures, urnOf } from "../harness/mocks";
import { LatencyKey, T, laneOf, latencyKeyOf, pacedSecondsOf, paceOf } from "./latency";

/** One simulated `pulumi up` of a mesh from an empty account, on the virtual clock. */
export interface Simulation {
    registrations: Registration[];
    failures: string[];
    /** Simulated seconds until the last registration finished. */
    makespan: number;
    /** Longest a registration reached the engine after everything it waits for had finished (0: no hidden waits). */
    maxSlip: { seconds: number; name: string };
    /** Longest a registration waited in a lane the cloud serializes (0: the program orders that work itself). */
    maxLaneWait: { seconds: number; name: string };
    /** The chain of registrations that set the makespan, first to last. */
    criticalPath: { type: string; name: string; step: LatencyKey; start: number; finish: number }[];
    /** When each cluster's east-west gateway address was known: the cluster is serving. */
    clusterReady: Map<string, number>;
    /** Mesh outputs that were unknown or missing after the run (a second run would be needed to fill them). */
    unknownOutputs: string[];
    /**
     * The longest chain through the registered dependency graph with the network's steps taken as instant:
     * what clusters take by themselves, as the program orders them.
     */
    clusterChain: number;
}

const networkSteps = new Set<LatencyKey>(["cen", "transitRouter", "routeTable", "vpcAttachment", "peerAttachment", "routeTableBinding", "transitRoute", "vpcRoute", "prefixList", "securityGroupRule"]);

/** The transit router that owns a route table, as the cloud reported the table. */
function routerOfTable(registrations: readonly Registration[], tableId: string): string | undefined {
    const table = registrations.find((r) => r.type === T.routeTable && r.state?.transitRouterRouteTableId === tableId);
    return table ? String(table.inputs.transitRouterId) : undefined;
}

/** A resource with no logic, to time the SDK and mocks alone. */
class Bare extends pulumi.CustomResource {
    constructor(name: string) {
        super("bench:index:Bare", name, {});
    }
}

/** The URN a provider reference (`<urn>::<id>`) names. */
const providerUrn = (reference: string) => reference.slice(0, reference.lastIndexOf("::"));

export async function simulate(config: MeshConfig): Promise<Simulation> {
    // A step the table does not know is reported, not thrown: the registration goes on and the run ends.
    const untimed: string[] = [];
    const stepOf = (r: Registration): LatencyKey => {
        try {
            return latencyKeyOf(r);
        } catch (error) {
            untimed.push(String((error as Error).message));
            return "none";
        }
    };
    // A cluster's own resources are named after it (`mesh-<cluster>-…`) and take its pace.
    const paces = config.clusters.map((c, i) => ({ prefix: `mesh-${c.name}-`, pace: paceOf(i) }));
    const paceOfRegistration = (r: Registration) => paces.find((p) => r.name.startsWith(p.prefix))?.pace ?? 1;
    const seconds = (r: Registration) => pacedSecondsOf(stepOf(r), paceOfRegistration(r));
    const cloud: MockCloud = MockCloud.install({
        resources: alicloudResources,
        invokes: alicloudInvokes,
        virtualTime: { seconds, lane: (r) => laneOf(r, (tableId) => routerOfTable(cloud.registrations, tableId)) },
    });
    const unknownOutputs: string[] = [];
    let mesh: MultiClusterMesh | undefined;
    const failures = await programFailures(async () => {
        mesh = new MultiClusterMesh("mesh", { config });
        await urnOf(mesh);
        await cloud.settle();
    });
    // Outputs of a program that failed may never resolve: the failure is the result then.
    if (mesh && failures.length === 0) {
        const outputs: [string, pulumi.Output<unknown> | undefined][] = [
            ["rootCertPem", mesh.rootCertPem],
            ...Object.entries(mesh.clusters).flatMap(([name, c]): [string, pulumi.Output<unknown> | undefined][] => [
                [`clusters.${name}.kubeconfig`, c.kubeconfig],
                [`clusters.${name}.eastWestAddress`, c.eastWestAddress],
            ]),
        ];
        for (const [path, output] of outputs) {
            const seen = output && (await inspect(output));
            if (!seen || !seen.known || seen.value === undefined || seen.value === "") {
                unknownOutputs.push(path);
            }
        }
    }
    const registrations = cloud.registrations;
    const byUrn = new Map(registrations.filter((r) => r.urn).map((r) => [r.urn!, r]));
    const finishOf = (urn: string) => byUrn.get(urn)?.virtualFinish ?? 0;
    const waitsFor = (r: Registration) => [...r.dependencies, ...(r.provider ? [providerUrn(r.provider)] : [])];
    const ready = (r: Registration) => Math.max(0, ...waitsFor(r).map(finishOf));

    let maxSlip = { seconds: 0, name: "" };
    let maxLaneWait = { seconds: 0, name: "" };
    for (const r of registrations) {
        const slip = (r.virtualArrival ?? 0) - ready(r);
        if (slip > maxSlip.seconds) {
            maxSlip = { seconds: slip, name: `${r.type} ${r.name}` };
        }
        const laneWait = (r.virtualStart ?? 0) - (r.virtualArrival ?? 0);
        if (laneWait > maxLaneWait.seconds) {
            maxLaneWait = { seconds: laneWait, name: `${r.type} ${r.name}` };
        }
    }

    const last = registrations.reduce((a, b) => ((b.virtualFinish ?? 0) > (a.virtualFinish ?? 0) ? b : a));
    const criticalPath: Simulation["criticalPath"] = [];
    for (let step: Registration | undefined = last; step; ) {
        if ((step.virtualFinish ?? 0) > (step.virtualStart ?? 0)) {
            criticalPath.unshift({ type: step.type, name: step.name, step: stepOf(step), start: step.virtualStart!, finish: step.virtualFinish! });
        }
        const before: Registration[] = waitsFor(step).flatMap((urn) => byUrn.get(urn) ?? []);
        step = before.length ? before.reduce((a, b) => ((b.virtualFinish ?? 0) > (a.virtualFinish ?? 0) ? b : a)) : undefined;
        if (step && (step.virtualFinish ?? 0) === 0) {
            step = undefined;
        }
    }
    const chainEnd = new Map<Registration, number>();
    const endOf = (r: Registration): number => {
        if (!chainEnd.has(r)) {
            const key = stepOf(r);
            const own = networkSteps.has(key) ? 0 : seconds(r);
            chainEnd.set(r, Math.max(0, ...waitsFor(r).flatMap((urn) => byUrn.get(urn) ?? []).map(endOf)) + own);
        }
        return chainEnd.get(r)!;
    };
    return {
        registrations,
        failures: [...new Set(untimed), ...failures],
        clusterChain: Math.max(...registrations.map(endOf)),
        makespan: Math.max(...registrations.map((r) => r.virtualFinish ?? 0)),
        clusterReady: new Map(
            config.clusters.map((c) => [c.name, registrations.find((r) => r.read && r.type === T.service && r.name === `mesh-${c.name}-eastwest-service`)?.virtualFinish ?? Infinity]),
        ),
        maxSlip,
        maxLaneWait,
        criticalPath,
        unknownOutputs,
    };
}

/** Wall time to evaluate the mesh program under the mocks (no simulated latency), in milliseconds. */
export async function evaluationTime(config: MeshConfig): Promise<{ ms: number; registrations: Registration[] }> {
    const cloud = MockCloud.install({ resources: alicloudResources, invokes: alicloudInvokes });
    const started = process.hrtime.bigint();
    await urnOf(new MultiClusterMesh("mesh", { config }));
    await cloud.settle();
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, registrations: cloud.registrations };
}

/** Wall time, in the same process, to register `count` resources that carry no logic at all. */
export async function bareRegistrationTime(count: number): Promise<number> {
    const cloud = MockCloud.install({ resources: { "bench:index:Bare": () => ({ id: "bare", state: {} }) } });
    const started = process.hrtime.bigint();
    const resources = Array.from({ length: count }, (_, i) => new Bare(`bare-${i}`));
    await Promise.all(resources.map(urnOf));
    await cloud.settle();
    return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * How a preview of the mesh from an empty stack fails, if it does: `pulumi up` previews first, with
 * every computed value unknown, so a program that needs a value from the cloud to evaluate cannot be
 * deployed in one run.
 */
export async function previewFailures(config: MeshConfig): Promise<{ failures: string[]; registrations: Registration[] }> {
    const cloud = MockCloud.install({ preview: true, resources: alicloudPreviewResources, invokes: alicloudInvokes });
    const failures = await programFailures(async () => {
        await urnOf(new MultiClusterMesh("mesh", { config }));
        await cloud.settle();
    });
    return { failures, registrations: cloud.registrations };
}
