import Ajv, { ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse, parseAllDocuments } from "yaml";

/**
 * Validators built from Istio 1.30.3's own published schemas (test/fixtures/istio-1.30.3): the gateway
 * chart's values.schema.json, which Helm enforces, and the CRDs' OpenAPI schemas. The API server prunes
 * unknown fields silently; these validators reject them, so a misspelt field fails a test instead.
 * CEL rules (x-kubernetes-validations) are not evaluated. For the base and istiod charts, which publish no
 * schema, values are checked against the charts' own defaults (values.yaml).
 */

const fixtures = path.join(__dirname, "..", "fixtures", "istio-1.30.3");
// Formats (byte, date-time …) are not checked: the API server does not check most of them either.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

export function readFixture(relative: string): string {
    return readFileSync(path.join(fixtures, relative), "utf8");
}

let gatewayValues: ValidateFunction | undefined;

/** Errors Helm would report for these gateway chart values (empty when valid). */
export function gatewayValuesErrors(values: unknown): string[] {
    if (!gatewayValues) {
        const schema = JSON.parse(readFixture("charts/gateway/values.schema.json"));
        delete schema.$schema;
        gatewayValues = ajv.compile(schema);
    }
    return gatewayValues(values) ? [] : (gatewayValues.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

type Schema = Record<string, unknown>;
const crdValidators = new Map<string, ValidateFunction>();
let crds: Map<string, Schema> | undefined;

function closeObjects(schema: unknown): unknown {
    if (Array.isArray(schema)) {
        return schema.map(closeObjects);
    }
    if (typeof schema !== "object" || schema === null) {
        return schema;
    }
    const out: Schema = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closeObjects(v)]));
    if (out.type === "object" && out.properties && out["x-kubernetes-preserve-unknown-fields"] !== true && out.additionalProperties === undefined) {
        out.additionalProperties = false;
    }
    return out;
}

function loadCrds(): Map<string, Schema> {
    if (!crds) {
        crds = new Map();
        for (const doc of parseAllDocuments(readFixture("crd-all.gen.yaml"))) {
            const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
            if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) {
                continue;
            }
            for (const version of crd.spec.versions) {
                crds.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
            }
        }
    }
    return crds;
}

/** Errors the CRD schema of `apiVersion`/`kind` finds in the object's spec (empty when valid). */
export function istioObjectErrors(object: { apiVersion: string; kind: string; spec: unknown }): string[] {
    const key = `${object.apiVersion}/${object.kind}`;
    let validate = crdValidators.get(key);
    if (!validate) {
        const schema = loadCrds().get(key);
        if (!schema) {
            return [`no CRD for ${key} in Istio 1.30.3`];
        }
        const specSchema = (schema.properties as Record<string, unknown>).spec;
        validate = ajv.compile(closeObjects(specSchema) as Schema);
        crdValidators.set(key, validate);
    }
    return validate(object.spec) ? [] : (validate.errors ?? []).map((e) => `spec${e.instancePath} ${e.message}`);
}

/** Istio's sample objects, parsed. */
export function sampleObjects(file: string): { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown }[] {
    return parseAllDocuments(readFixture(`samples/multicluster/${file}`))
        .map((d) => d.toJS())
        .filter((o) => o);
}

/**
 * Values the charts' templates read that their values.yaml does not list: the profile machinery of every
 * chart (zzz_profile.yaml) and base's webhook failure policy (defaultrevision-validatingwebhookconfiguration.yaml).
 */
const readByTemplates: Record<string, readonly string[]> = {
    base: ["profile", "compatibilityVersion", "platform", "base.validationFailurePolicy"],
    istiod: ["profile", "compatibilityVersion", "platform", "base.validationFailurePolicy"],
};

/** Values documented as taking a whole API object, beyond the few defaults listed: istiod's `meshConfig` (MeshConfig). */
const openMaps: Record<string, readonly string[]> = { base: [], istiod: ["meshConfig"] };

const chartDefaults = new Map<string, Record<string, unknown>>();

function defaultsOf(chart: string): Record<string, unknown> {
    let defaults = chartDefaults.get(chart);
    if (!defaults) {
        // Istio nests its defaults under `_internal_defaults_do_not_set` (a Helm workaround); users set them at the top.
        const { _internal_defaults_do_not_set: internal, ...top } = parse(readFixture(`charts/${chart}/values.yaml`)) as Record<string, unknown>;
        defaults = { ...(internal as Record<string, unknown>), ...top };
        chartDefaults.set(chart, defaults);
    }
    return defaults;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What is wrong with a release's values for one of Istio's charts: for `gateway`, its schema's errors; for
 * `base` and `istiod`, every value the chart does not know (Helm would ignore it silently) and every value
 * of another shape than the chart's default. A default that is an empty map or null takes anything.
 */
export function chartValuesErrors(chart: string, values: unknown): string[] {
    if (chart === "gateway") {
        return gatewayValuesErrors(values);
    }
    if (!(chart in readByTemplates)) {
        return [`no defaults for chart ${chart} in Istio 1.30.3`];
    }
    const known = new Set(readByTemplates[chart]);
    const errors: string[] = [];
    const walk = (given: unknown, defaults: unknown, path: string) => {
        if (!isObject(given)) {
            if (isObject(defaults) && Object.keys(defaults).length > 0) {
                errors.push(`${path} is a map in the chart, not ${JSON.stringify(given)}`);
            }
            return;
        }
        if (defaults !== null && defaults !== undefined && !isObject(defaults)) {
            errors.push(`${path} is ${JSON.stringify(defaults)} in the chart, not a map`);
            return;
        }
        if (!isObject(defaults) || Object.keys(defaults).length === 0) {
            return;
        }
        for (const [key, value] of Object.entries(given)) {
            const keyPath = path ? `${path}.${key}` : key;
            if (openMaps[chart].includes(keyPath)) {
                continue;
            } else if (key in defaults) {
                walk(value, defaults[key], keyPath);
            } else if (!known.has(keyPath)) {
                errors.push(`${keyPath} is not a value of the ${chart} chart`);
            }
        }
    };
    walk(values, defaultsOf(chart), "");
    return errors;
}
