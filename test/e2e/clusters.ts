import { ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { stringify } from "yaml";
import { KubeClient } from "./kube";
import { makeCa, makeKey, makeServingCert } from "./pki";

/**
 * Local Kubernetes control planes on 127.0.0.1: one etcd, and per cluster a kube-apiserver (its own
 * prefix in etcd, CA, serving certificate, service account key and admin token) and a
 * kube-controller-manager running only what objects need without kubelets: service account tokens,
 * namespace deletion, garbage collection and the root CA ConfigMap.
 */

export interface LocalCluster {
    name: string;
    server: string;
    /** The admin kubeconfig's path. */
    kubeconfigPath: string;
    kubeconfig: string;
    admin: KubeClient;
}

export interface Binaries {
    etcd: string;
    kubeApiserver: string;
    kubeControllerManager: string;
}

const controllers = ["serviceaccount-token-controller", "serviceaccount-controller", "namespace-controller", "garbage-collector-controller", "root-ca-certificate-publisher-controller"];

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

const pidsFile = (dir: string) => path.join(dir, "pids.json");

function start(dir: string, name: string, command: string, args: string[]): ChildProcess {
    const log = openSync(path.join(dir, `${name}.log`), "a");
    // Detached: the processes outlive this one under --keep, and `--down` stops them by their recorded PIDs.
    const child = spawn(command, args, { stdio: ["ignore", log, log], detached: true });
    closeSync(log);
    child.unref();
    const pids = existsSync(pidsFile(dir)) ? (JSON.parse(readFileSync(pidsFile(dir), "utf8")) as Record<string, number>) : {};
    writeFileSync(pidsFile(dir), JSON.stringify({ ...pids, [name]: child.pid }, null, 2));
    return child;
}

/** Polls `attempt` until it returns a value, or fails after `timeoutMs` naming `what`. */
export async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
        try {
            const value = await attempt();
            if (value !== undefined) {
                return value;
            }
        } catch (err) {
            last = err;
        }
        if (Date.now() > deadline) {
            throw new Error(`${what} not ready after ${timeoutMs / 1000} s${last ? `: ${String(last)}` : ""}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
}

/** Starts etcd and `names.length` clusters; their files and logs go under `dir`. */
export async function startClusters(binaries: Binaries, names: string[], dir: string): Promise<LocalCluster[]> {
    await stopClusters(dir);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });

    const [etcdPort, peerPort] = [await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    start(dir, "etcd", binaries.etcd, [
        `--data-dir=${path.join(dir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
        "--unsafe-no-fsync",
        "--log-level=warn",
    ]);
    await until("etcd", 60_000, async () => ((await fetch(`${etcdUrl}/health`)).ok ? true : undefined));

    const clusters: LocalCluster[] = [];
    for (const name of names) {
        const own = path.join(dir, name);
        mkdirSync(own, { recursive: true });
        const file = (f: string, content: string) => {
            writeFileSync(path.join(own, f), content, { mode: 0o600 });
            return path.join(own, f);
        };
        const ca = await makeCa(`${name}-ca`);
        const serving = await makeServingCert(ca, `${name}-apiserver`);
        const caFile = file("ca.crt", ca.certPem);
        const serviceAccountKey = await makeKey();
        const saKey = file("sa.key", serviceAccountKey.privatePem);
        const saPub = file("sa.pub", serviceAccountKey.publicPem);
        const token = randomBytes(24).toString("hex");
        const port = await freePort();
        const server = `https://127.0.0.1:${port}`;
        start(dir, `${name}-apiserver`, binaries.kubeApiserver, [
            `--etcd-servers=${etcdUrl}`,
            `--etcd-prefix=/${name}`,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            `--secure-port=${port}`,
            `--cert-dir=${own}`,
            "--endpoint-reconciler-type=none",
            `--tls-cert-file=${file("apiserver.crt", serving.certPem)}`,
            `--tls-private-key-file=${file("apiserver.key", serving.keyPem)}`,
            `--token-auth-file=${file("tokens.csv", `${token},admin,admin,"system:masters"\n`)}`,
            "--authorization-mode=RBAC",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--service-account-issuer=https://kubernetes.default.svc",
            `--service-account-key-file=${saPub}`,
            `--service-account-signing-key-file=${saKey}`,
            "--profiling=false",
        ]);
        const kubeconfig = stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name, cluster: { server, "certificate-authority-data": Buffer.from(ca.certPem).toString("base64") } }],
            contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
            "current-context": name,
            users: [{ name: `${name}-admin`, user: { token } }],
        });
        const kubeconfigPath = file("admin.kubeconfig", kubeconfig);
        start(dir, `${name}-controller-manager`, binaries.kubeControllerManager, [
            `--kubeconfig=${kubeconfigPath}`,
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            `--service-account-private-key-file=${saKey}`,
            `--root-ca-file=${caFile}`,
            `--controllers=${controllers.join(",")}`,
        ]);
        clusters.push({ name, server, kubeconfigPath, kubeconfig, admin: new KubeClient({ server, caPem: ca.certPem, token }) });
    }
    for (const c of clusters) {
        await until(`${c.name} API server`, 120_000, async () => ((await c.admin.request("GET", "/readyz")).status === 200 ? true : undefined));
        // The controller manager is working once the default namespace has its service account.
        await until(`${c.name} controller manager`, 120_000, async () => (await c.admin.find("/api/v1/namespaces/default/serviceaccounts/default")) ?? undefined);
    }
    return clusters;
}

/** Stops whatever a previous start under `dir` left running. */
export async function stopClusters(dir: string): Promise<void> {
    if (!existsSync(pidsFile(dir))) {
        return;
    }
    const pids = Object.values(JSON.parse(readFileSync(pidsFile(dir), "utf8")) as Record<string, number>);
    const alive = (pid: number) => {
        try {
            process.kill(pid, 0);
            return true;
        } catch {
            return false;
        }
    };
    for (const pid of pids.filter(alive)) {
        process.kill(pid, "SIGTERM");
    }
    const deadline = Date.now() + 15_000;
    while (pids.some(alive) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
    }
    for (const pid of pids.filter(alive)) {
        process.kill(pid, "SIGKILL");
    }
    rmSync(pidsFile(dir), { force: true });
}
