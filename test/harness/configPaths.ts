import { meshConfigSchema } from "../../lib/mesh/config";

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; items?: Schema; definitions?: Record<string, Schema> };

/**
 * Whether a config path as problems report it (`mesh.clusters[0].ack.vpcCidr`) names a place the mesh
 * config's JSON Schema describes: each property declared, each index into an array, anything beneath a
 * free-form tree.
 */
export function configPathExists(path: string, prefix = "mesh"): boolean {
    if (path !== prefix && !path.startsWith(`${prefix}.`) && !path.startsWith(`${prefix}[`)) {
        return false;
    }
    const steps = path.slice(prefix.length).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
    const definitions = (meshConfigSchema as Schema).definitions ?? {};
    const resolve = (node: Schema | undefined) => (node?.$ref ? definitions[node.$ref.replace("#/definitions/", "")] : node);
    let schema: Schema | undefined = meshConfigSchema as Schema;
    for (const step of steps) {
        schema = resolve(schema);
        if (schema && Object.keys(schema).every((k) => k === "description")) {
            // Any value (inside Helm values): every path beneath it is the user's to name.
            return true;
        }
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
    return resolve(schema) !== undefined;
}
