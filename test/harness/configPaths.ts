import { meshConfigSchema } from "../../lib/mesh/config";

type Schema = { properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; items?: Schema };

/**
 * Whether a config path as problems report it (`mesh.clusters[0].ack.vpcCidr`) names a place the mesh
 * config's JSON Schema describes: each property declared, each index into an array.
 */
export function configPathExists(path: string, prefix = "mesh"): boolean {
    if (path !== prefix && !path.startsWith(`${prefix}.`) && !path.startsWith(`${prefix}[`)) {
        return false;
    }
    const steps = path.slice(prefix.length).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
    let schema: Schema | undefined = meshConfigSchema as Schema;
    for (const step of steps) {
        if (step.startsWith("[")) {
            schema = schema?.items;
        } else {
            const name = step.slice(1);
            schema = schema?.properties?.[name] ?? (typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined);
        }
        if (!schema) {
            return false;
        }
    }
    return true;
}
