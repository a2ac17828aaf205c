import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import type { Resource } from './kustomize';

/**
 * The Kubernetes API's own OpenAPI schemas, as the `kubernetes-models` package carries them (offline, validated with
 * ajv): one model per `apiVersion` and `kind` the manifests use. A kind missing here fails the test rather than
 * going unchecked.
 */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

/** The schema's complaints about `resource`, or an empty list. */
export function schemaErrors(resource: Resource): string[] {
  const Model = MODELS[`${resource.apiVersion}/${resource.kind}`];
  if (Model === undefined) return [`no schema for ${resource.apiVersion} ${resource.kind}: add its model to test/deploy/kubernetes-schemas.ts`];
  try {
    new Model(resource as never).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
