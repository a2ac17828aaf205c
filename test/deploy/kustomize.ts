import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, type Operation } from 'fast-json-patch';
import { parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization the way `kustomize build` does, for the subset of Kustomize that k8s/ uses (there is no
 * Kustomize on npm, and the Go binary is not on this machine): `resources` (files and directories with their own
 * kustomization.yaml, depth first), `namespace`, `images` (name → newName/newTag) and `patches` holding JSON 6902
 * operations, inline or in a file, aimed by `target` kind and name (a regular expression, anchored, as Kustomize
 * reads it). Any other field makes it throw, so an overlay cannot use a feature this renderer would silently skip.
 */
export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
/** Kinds that have no namespace: Kustomize's `namespace` leaves them alone. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target?: { kind?: string; name?: string }; patch?: string; path?: string }[];
}

export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
    return document.toJS() as unknown;
  }).filter((value) => value !== null && value !== undefined);
}

export function renderKustomization(dir: string): Resource[] {
  const file = path.join(dir, 'kustomization.yaml');
  const [kustomization] = readYamlDocuments(file) as Kustomization[];
  if (kustomization === undefined) throw new Error(`${file} is empty`);
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: ${unsupported.join(', ')} is not rendered by test/deploy/kustomize.ts; keep to ${[...SUPPORTED].join(', ')}`);

  let resources: Resource[] = [];
  for (const entry of kustomization.resources ?? []) {
    const target = path.resolve(dir, entry);
    resources.push(...(statSync(target).isDirectory() ? renderKustomization(target) : (readYamlDocuments(target) as Resource[])));
  }

  for (const patch of kustomization.patches ?? []) {
    const operations = (patch.path === undefined ? readPatch(patch.patch ?? '', file) : readPatch(readFileSync(path.resolve(dir, patch.path), 'utf8'), patch.path)) as Operation[];
    const matches = resources.filter((resource) => matchesTarget(resource, patch.target ?? {}));
    if (matches.length === 0) throw new Error(`${file}: a patch targets ${JSON.stringify(patch.target)}, which matches no resource`);
    resources = resources.map((resource) => (matches.includes(resource) ? (applyPatch(structuredClone(resource), operations, true, false).newDocument as Resource) : resource));
  }

  for (const image of kustomization.images ?? []) {
    let used = false;
    for (const container of resources.flatMap(containersOf)) {
      const [name, tag] = splitImage(container.image);
      if (name !== image.name) continue;
      used = true;
      container.image = `${image.newName ?? name}${image.newTag !== undefined ? `:${image.newTag}` : tag !== undefined ? `:${tag}` : ''}`;
    }
    if (!used) throw new Error(`${file}: image ${image.name} is used by no container`);
  }

  if (kustomization.namespace !== undefined) {
    const namespace = kustomization.namespace;
    resources = resources.map((resource) => (CLUSTER_SCOPED.has(resource.kind) ? resource : { ...resource, metadata: { ...resource.metadata, namespace } }));
  }
  return resources;
}

function readPatch(text: string, where: string): unknown[] {
  const [operations] = parseAllDocuments(text).map((document) => document.toJS() as unknown);
  if (!Array.isArray(operations)) throw new Error(`${where}: a patch must be a list of JSON 6902 operations (strategic merge patches are not rendered here)`);
  return operations;
}

function matchesTarget(resource: Resource, target: { kind?: string; name?: string }): boolean {
  const unknown = Object.keys(target).filter((key) => key !== 'kind' && key !== 'name');
  if (unknown.length > 0) throw new Error(`patch target fields ${unknown.join(', ')} are not rendered here: use kind and name`);
  return (target.kind === undefined || target.kind === resource.kind) && (target.name === undefined || new RegExp(`^(?:${target.name})$`).test(resource.metadata.name));
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Container[]; initContainers?: Container[] };
}

/** The pod template of a workload (Deployment, StatefulSet, Job), or undefined for other kinds. */
export function podTemplateOf(resource: Resource): PodTemplate | undefined {
  if (!['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(resource.kind)) return undefined;
  return (resource['spec'] as { template: PodTemplate }).template;
}

export function containersOf(resource: Resource): Container[] {
  const template = podTemplateOf(resource);
  return template === undefined ? [] : [...(template.spec.initContainers ?? []), ...template.spec.containers];
}
