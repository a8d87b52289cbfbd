// Pulumi's package schema, the part of it this package uses, and its translation from JSON Schema: the
// mesh config's schema (generated from lib/mesh/config.ts) and the building blocks' args schema (generated
// from their TypeScript interfaces) both become package schema types this way.

/** The name of the package, of its provider plugin (`pulumi-resource-<name>`) and the first part of every token. */
export const packageName = "istio-multicluster";

/** A property in Pulumi's package schema (the subset this package uses). */
export interface PropertySpec {
    type?: "string" | "boolean" | "integer" | "number" | "array" | "object";
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    oneOf?: PropertySpec[];
    description?: string;
    secret?: boolean;
}

/** An object or enum type in Pulumi's package schema. */
export type TypeSpec =
    | { type: "object"; description?: string; properties: Record<string, PropertySpec>; required?: string[] }
    | { type: "string"; description?: string; enum: { value: string }[] };

/** A component resource in Pulumi's package schema. */
export interface ComponentSpec {
    isComponent: true;
    description: string;
    inputProperties: Record<string, PropertySpec>;
    requiredInputs: string[];
    /** Left out where there are none, as the CLI writes the schema out. */
    properties?: Record<string, PropertySpec>;
    required?: string[];
}

/** The JSON Schema this package's schema is translated from (the subset `ts-json-schema-generator` writes). */
export interface JsonSchema {
    type?: string | string[];
    $ref?: string;
    items?: JsonSchema;
    properties?: Record<string, JsonSchema>;
    additionalProperties?: JsonSchema | boolean;
    required?: string[];
    enum?: string[];
    description?: string;
    default?: unknown;
    definitions?: Record<string, JsonSchema>;
    /** A resource rather than data (the component args' schema marks them). */
    "x-resource"?: string;
}

/** How one JSON Schema is translated: what it is called in errors, the package's name of each of its types, and its secret fields. */
export interface Translation {
    source: string;
    typeName(definition: string): string;
    /** Per JSON Schema definition, the fields that are secret in every SDK. */
    secretFields: Readonly<Record<string, readonly string[]>>;
    /** The package schema property of a field that holds a resource, by its `x-resource` mark. */
    resource?(mark: string): PropertySpec | undefined;
}

export function token(typeName: string): string {
    return `${packageName}:index:${typeName}`;
}

export function typeRef(typeName: string): PropertySpec {
    return { $ref: `#/types/${token(typeName)}` };
}

/**
 * The name a field has in the package schema: an identifier, as every SDK needs one (`ca-cert.pem` becomes
 * `caCertPem`).
 */
export function wireName(field: string): string {
    const [first, ...rest] = field.split(/[^A-Za-z0-9]+/).filter((part) => part !== "");
    return [first, ...rest.map((part) => part[0].toUpperCase() + part.slice(1))].join("");
}

/** A JSON Schema description with its default spelled out, since the SDKs leave defaults to the component. */
function described(json: JsonSchema): { description?: string } {
    const parts = [json.description, json.default === undefined ? undefined : `Default: \`${JSON.stringify(json.default)}\`.`].filter((p) => p !== undefined);
    return parts.length > 0 ? { description: parts.join(" ") } : {};
}

function propertyOf(json: JsonSchema, where: string, translation: Translation): PropertySpec {
    const resource = json["x-resource"] === undefined ? undefined : translation.resource?.(json["x-resource"]);
    if (resource) {
        return resource;
    }
    if (json.$ref !== undefined) {
        const definition = /^#\/definitions\/(\w+)$/.exec(json.$ref);
        if (definition) {
            return typeRef(translation.typeName(definition[1]));
        }
    }
    if (Array.isArray(json.type)) {
        return { oneOf: json.type.map((type) => propertyOf({ type }, where, translation)) };
    }
    switch (json.type) {
        case "string":
        case "boolean":
        case "integer":
        case "number":
            return { type: json.type };
        case "array":
            return { type: "array", items: propertyOf(json.items ?? {}, `${where}[]`, translation) };
        case "object":
            if (json.properties === undefined && typeof json.additionalProperties === "object") {
                const values = json.additionalProperties;
                // `{}` is JSON Schema's "anything": Istio's own values, passed through.
                return { type: "object", additionalProperties: Object.keys(values).length === 0 ? { $ref: "pulumi.json#/Any" } : propertyOf(values, `${where}{}`, translation) };
            }
    }
    throw new Error(`${where}: ${translation.source} has a type the package schema cannot express: ${JSON.stringify(json)}`);
}

/** The properties of a JSON Schema object, by their package schema names; `omit` leaves fields out. */
export function propertiesOf(name: string, json: JsonSchema, translation: Translation, omit: (field: JsonSchema) => boolean = () => false): Record<string, PropertySpec> {
    return Object.fromEntries(
        Object.entries(json.properties ?? {})
            .filter(([, property]) => !omit(property))
            .map(([field, property]) => [
                wireName(field),
                { ...propertyOf(property, `${name}.${field}`, translation), ...described(property), ...(translation.secretFields[name]?.includes(field) ? { secret: true } : {}) },
            ]),
    );
}

/** A JSON Schema definition as a package schema type: an enum, or an object whose required fields have their package schema names. */
export function typeOf(name: string, json: JsonSchema, translation: Translation): TypeSpec {
    if (json.enum !== undefined) {
        return { type: "string", ...described(json), enum: json.enum.map((value) => ({ value })) };
    }
    const properties = propertiesOf(name, json, translation);
    return { type: "object", ...described(json), properties, ...(json.required ? { required: json.required.map(wireName) } : {}) };
}

