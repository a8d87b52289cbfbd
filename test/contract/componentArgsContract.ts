import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as ts from "typescript";
import { AnnotatedType, BaseType, CompletedConfig, Context, createFormatter, DEFAULT_CONFIG, createParser, createProgram, NodeParser, SchemaGenerator, StringType, SubNodeParser } from "ts-json-schema-generator";
import { componentArgsTypes } from "../../lib/provider/componentSchema";

/**
 * The building blocks' arguments, for the package schema other languages' SDKs are made of, come from the
 * TypeScript interfaces the components take, as the mesh config's schema does: `npm run schema` writes
 * their JSON Schema and the contract test checks it is current. A `pulumi.Input<T>` is a `T` on the wire;
 * arguments that hold other resources are marked `x-resource` for the package schema to turn into resource
 * references, or into the `providers` resource option.
 */

const root = path.resolve(__dirname, "../..");
export const componentArgsFile = path.join(root, "lib/provider/componentArgs.schema.json");

/** TypeScript type references that are resources, not data, by how the args spell them. */
const resourceTypes: Readonly<Record<string, string>> = {
    "k8s.Provider": "KubernetesProvider",
    PrimaryCluster: "PrimaryCluster",
    IstioCluster: "IstioCluster",
};

class WireTypeParser implements SubNodeParser {
    constructor(private readonly parser: () => NodeParser) {}

    supportsNode(node: ts.Node): boolean {
        return ts.isTypeReferenceNode(node) && (isInput(node) || node.typeName.getText() in resourceTypes);
    }

    createType(node: ts.TypeReferenceNode, context: Context): BaseType {
        if (isInput(node)) {
            return this.parser().createType(node.typeArguments![0], context);
        }
        return new AnnotatedType(new StringType(), { "x-resource": resourceTypes[node.typeName.getText()] }, false);
    }
}

function isInput(node: ts.TypeReferenceNode): boolean {
    return ["Input", "pulumi.Input"].includes(node.typeName.getText()) && node.typeArguments?.length === 1;
}

type Schema = { definitions?: Record<string, unknown> } & Record<string, unknown>;

/** The JSON Schema of every building block's args type, with one `definitions` table for all of them. */
export function generatedComponentArgsSchema(): Schema {
    const config: CompletedConfig = {
        ...DEFAULT_CONFIG,
        path: path.join(root, "lib/index.ts"),
        tsconfig: path.join(root, "tsconfig.json"),
        jsDoc: "extended",
        sortProps: false,
        skipTypeCheck: true,
        additionalProperties: false,
        topRef: false,
        expose: "export",
    };
    const program = createProgram(config);
    const parser: NodeParser = createParser(program, config, (chain) => chain.addNodeParser(new WireTypeParser(() => parser)));
    const generator = new SchemaGenerator(program, parser, createFormatter(config), config);
    const definitions: Record<string, unknown> = {};
    for (const args of Object.values(componentArgsTypes())) {
        const { definitions: used = {}, ...schema } = generator.createSchema(args) as Schema;
        delete schema.$schema;
        for (const [name, definition] of Object.entries({ ...used, [args]: schema })) {
            if (name in definitions && !isDeepStrictEqual(definitions[name], definition)) {
                throw new Error(`two different types are called ${name}`);
            }
            definitions[name] = definition;
        }
    }
    return { $schema: "http://json-schema.org/draft-07/schema#", definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))) };
}
