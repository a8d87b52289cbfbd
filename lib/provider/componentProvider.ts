import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { AssumeRoleArgs } from "../alicloud/listenerAcl";
import { MeshInput } from "../mesh/inputs";
import { MultiClusterMesh } from "../mesh/multiClusterMesh";
import { packageName, packageSchema } from "./schema";

/**
 * The provider plugin other languages' SDKs talk to: it answers the package schema and constructs the
 * components in this process, as a TypeScript program would, so their children and checks are the same.
 */
export class MeshComponentProvider implements provider.Provider {
    public readonly schema: string;

    constructor(public readonly version: string) {
        this.schema = JSON.stringify(packageSchema(version));
    }

    public async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
        if (type !== `${packageName}:index:MultiClusterMesh`) {
            throw new Error(`${packageName} has no component ${type}; it has ${packageName}:index:MultiClusterMesh`);
        }
        // The engine sends plain data with Outputs where values are secret, unknown or come from other
        // resources: what MeshInput takes.
        const mesh = new MultiClusterMesh(name, { config: inputs.config as MeshInput, alicloudAssumeRole: inputs.alicloudAssumeRole as pulumi.Input<AssumeRoleArgs> | undefined }, options);
        return {
            urn: mesh.urn,
            state: { clusters: mesh.clusters, rootCertPem: mesh.rootCertPem, diagram: mesh.diagram, verificationCommand: mesh.verificationCommand },
        };
    }
}

/** The library's version, from the nearest package.json of the library above `dir`: two folders up in the sources, three in the build. */
export function libraryVersion(dir: string): string {
    for (let at = dir; at !== path.dirname(at); at = path.dirname(at)) {
        const file = path.join(at, "package.json");
        if (existsSync(file)) {
            const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (manifest.name === packageName && manifest.version) {
                return manifest.version;
            }
        }
    }
    throw new Error(`no package.json of ${packageName} above ${dir}`);
}
