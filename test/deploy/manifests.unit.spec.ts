import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { platformProcesses, type ProcessSpec } from '../../scripts/start/plan';
import { finalTargets, readDockerfile, REPO_ROOT } from './dockerfile';
import { schemaErrors } from './kubernetes-schemas';
import { containersOf, podTemplateOf, renderKustomization, type Container, type Probe, type Resource } from './kustomize';

/**
 * k8s/: every kustomization renders (test/deploy/kustomize.ts) into resources that the Kubernetes schemas accept, and
 * the rendered overlays hold what running Arrears needs: probes on the paths and ports the processes serve,
 * resources, network policies that select every pod, autoscalers only where instances share work, budgets, the
 * migration Job, a three-node NATS with `sync_interval: always`, Secrets referenced by the keys they have.
 */
const K8S = path.join(REPO_ROOT, 'k8s');
const KUSTOMIZATIONS = ['base', ...readdirSync(path.join(K8S, 'infrastructure')).map((name) => `infrastructure/${name}`), ...readdirSync(path.join(K8S, 'overlays')).map((name) => `overlays/${name}`)];
const OVERLAYS = KUSTOMIZATIONS.filter((name) => name.startsWith('overlays/'));
const rendered = new Map(KUSTOMIZATIONS.map((name) => [name, renderKustomization(path.join(K8S, name))]));
const render = (name: string): Resource[] => rendered.get(name) ?? [];

const PROCESSES = platformProcesses();
/** What each kind of process serves (README; shared/platform/src/health; the relay's health-server.ts). */
const HEALTH = {
  relay: { variable: 'ARREARS_RELAY_HEALTH_PORT', paths: ['/health'], ready: '/health' },
  service: { variable: 'ARREARS_HEALTH_PORT', paths: ['/health/live', '/health/ready'], ready: '/health/ready' },
  gateway: { variable: 'ARREARS_GATEWAY_PORT', paths: ['/health/live', '/health/ready'], ready: '/health/ready' },
} as const;
/** Where JetStream pull consumers, SKIP LOCKED timer pollers or stateless requests let instances share the work. */
const SCALED_OUT = ['accounts', 'contact-attempts', 'promises-to-pay', 'payment-plans', 'case-workflow', 'legal-escalation', 'gateway'];

const workloads = (resources: Resource[]) => resources.filter((resource) => ['Deployment', 'StatefulSet'].includes(resource.kind));
const named = (resources: Resource[], kind: string, name: string) => resources.find((resource) => resource.kind === kind && resource.metadata.name === name);
const spec = <T>(resource: Resource | undefined): T => (resource?.['spec'] ?? {}) as T;

function portNumber(container: Container, port: number | string): number | undefined {
  return typeof port === 'number' ? (container.ports?.some((declared) => declared.containerPort === port) ? port : undefined) : container.ports?.find((declared) => declared.name === port)?.containerPort;
}

function envValue(container: Container, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function selects(selector: Selector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return labels[key] !== undefined && values.includes(labels[key]);
    if (operator === 'NotIn') return labels[key] === undefined || !values.includes(labels[key]);
    if (operator === 'Exists') return labels[key] !== undefined;
    if (operator === 'DoesNotExist') return labels[key] === undefined;
    throw new Error(`selector operator ${operator}`);
  });
  return byLabel && byExpression;
}

describe('k8s/', () => {
  it.each(KUSTOMIZATIONS)('%s renders into resources the Kubernetes schemas accept, each named once', (name) => {
    const resources = render(name);
    expect(resources.length).toBeGreaterThan(0);
    const problems = resources.flatMap((resource) => schemaErrors(resource).map((error) => `${resource.kind}/${resource.metadata.name}: ${error}`));
    expect(problems).toEqual([]);
    const keys = resources.map((resource) => `${resource.kind}/${resource.metadata.name}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  describe.each(OVERLAYS)('%s', (overlay) => {
    const resources = render(overlay);

    it('runs every process npm start runs, each from its image target, and the migration as a Job', () => {
      const targets = finalTargets(readDockerfile());
      for (const process of PROCESSES) {
        const deployment = named(resources, 'Deployment', process.name);
        expect(deployment).toBeDefined();
        const [container] = containersOf(deployment as Resource);
        expect(container?.image).toMatch(new RegExp(`(^|/)arrears/${process.name}(:|$)`));
      }
      for (const container of resources.flatMap(containersOf).filter((each) => /(^|\/)arrears\//.test(each.image))) {
        expect(targets).toContain(/(?:^|\/)arrears\/([^:]+)/.exec(container.image)?.[1]);
      }
      const job = named(resources, 'Job', 'migrate');
      expect(containersOf(job as Resource)[0]?.image).toMatch(/(^|\/)arrears\/migrate(:|$)/);
    });

    it.each(PROCESSES.map((process): [string, ProcessSpec] => [process.name, process]))('%s: probes on the port and paths the process serves', (_name, process) => {
      const container = containersOf(named(resources, 'Deployment', process.name) as Resource)[0] as Container;
      const health = HEALTH[process.role];
      const port = Number(envValue(container, health.variable));
      expect(Number.isInteger(port)).toBe(true);
      const probes = { liveness: container.livenessProbe, readiness: container.readinessProbe, startup: container.startupProbe };
      expect(probes.liveness).toBeDefined();
      expect(probes.readiness).toBeDefined();
      for (const probe of Object.values(probes).filter((each): each is Probe => each !== undefined)) {
        const target = probe.httpGet ?? probe.tcpSocket;
        expect(target).toBeDefined();
        expect(portNumber(container, target?.port ?? -1)).toBe(port);
        if (probe.httpGet) expect(health.paths).toContain(probe.httpGet.path);
      }
      expect(probes.readiness?.httpGet?.path).toBe(health.ready);
      // Metrics (docs/metrics.md) are served on the same port: Prometheus is told where.
      const annotations = podTemplateOf(named(resources, 'Deployment', process.name) as Resource)?.metadata?.annotations ?? {};
      expect(annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
      if (process.role !== 'gateway') expect(portNumber(container, 'metrics')).toBe(port);
    });

    it('gives every container of every workload probes (Jobs aside), and requests and limits of CPU and memory', () => {
      const missing: string[] = [];
      for (const resource of resources.filter((each) => podTemplateOf(each) !== undefined)) {
        for (const container of containersOf(resource)) {
          const where = `${resource.kind}/${resource.metadata.name}/${container.name}`;
          if (resource.kind !== 'Job' && (container.livenessProbe === undefined || container.readinessProbe === undefined)) missing.push(`${where}: probes`);
          for (const side of ['requests', 'limits'] as const) for (const what of ['cpu', 'memory']) if (container.resources?.[side]?.[what] === undefined) missing.push(`${where}: ${side}.${what}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('denies all traffic by default and selects every pod with a policy that lets it talk', () => {
      const policies = resources.filter((resource) => resource.kind === 'NetworkPolicy');
      const denyAll = policies.find((policy) => {
        const body = spec<{ podSelector: Selector; policyTypes: string[]; ingress?: unknown[]; egress?: unknown[] }>(policy);
        return Object.keys(body.podSelector).length === 0 && body.policyTypes.includes('Ingress') && body.policyTypes.includes('Egress') && body.ingress === undefined && body.egress === undefined;
      });
      expect(denyAll).toBeDefined();
      const allowing = policies.filter((policy) => policy !== denyAll && Object.keys(spec<{ podSelector: Selector }>(policy).podSelector).length > 0);
      const unselected = resources
        .filter((resource) => podTemplateOf(resource) !== undefined)
        .filter((resource) => !allowing.some((policy) => selects(spec<{ podSelector: Selector }>(policy).podSelector, podTemplateOf(resource)?.metadata?.labels ?? {})))
        .map((resource) => `${resource.kind}/${resource.metadata.name}`);
      expect(unselected).toEqual([]);
    });

    it('lets the Arrears pods reach exactly PostgreSQL, NATS, the collector and DNS (the migration only PostgreSQL and DNS)', () => {
      const policies = resources.filter((resource) => resource.kind === 'NetworkPolicy');
      interface Peer {
        podSelector?: Selector;
        ipBlock?: { cidr: string };
      }
      const reachable = (labels: Record<string, string>) =>
        new Set(
          policies
            .filter((policy) => selects(spec<{ podSelector: Selector }>(policy).podSelector, labels))
            .flatMap((policy) => spec<{ egress?: { to?: Peer[]; ports?: { port: number }[] }[] }>(policy).egress ?? [])
            .flatMap((rule) =>
              (rule.to ?? [{}]).flatMap((peer) => {
                const name = peer.ipBlock ? 'outside' : (peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? peer.podSelector?.matchLabels?.['k8s-app'] ?? 'anything');
                return (rule.ports ?? [{ port: 0 }]).map(({ port }) => `${name}:${port}`);
              }),
            ),
        );
      const outside = overlay === 'overlays/prod' ? ['outside:5432'] : [];
      const expected = {
        relay: ['postgres:5432', 'nats:4222', 'otel-collector:4318', 'kube-dns:53', ...outside],
        migrate: ['postgres:5432', 'kube-dns:53', ...outside],
      };
      for (const resource of resources.filter((each) => podTemplateOf(each) !== undefined && /(^|\/)arrears\//.test(containersOf(each)[0]?.image ?? ''))) {
        const labels = podTemplateOf(resource)?.metadata?.labels ?? {};
        const want = resource.kind === 'Job' ? expected.migrate : expected.relay;
        expect([resource.metadata.name, [...reachable(labels)].sort()]).toEqual([resource.metadata.name, [...new Set(want)].sort()]);
      }
    });

    it('opens ingress from anywhere only to the gateway', () => {
      for (const policy of resources.filter((resource) => resource.kind === 'NetworkPolicy')) {
        const body = spec<{ podSelector: Selector; ingress?: { from?: unknown[] }[] }>(policy);
        if ((body.ingress ?? []).some((rule) => rule.from === undefined || rule.from.length === 0)) {
          const opened = resources.filter((resource) => podTemplateOf(resource) !== undefined && selects(body.podSelector, podTemplateOf(resource)?.metadata?.labels ?? {}));
          expect(opened.map((resource) => resource.metadata.name)).toEqual(['gateway']);
        }
      }
    });

    it('autoscales only where instances share the work; the relay, one leader by lease, keeps two instances', () => {
      const autoscalers = resources.filter((resource) => resource.kind === 'HorizontalPodAutoscaler');
      const scaled = autoscalers.map((hpa) => spec<{ scaleTargetRef: { kind: string; name: string } }>(hpa).scaleTargetRef);
      expect(scaled.map((target) => target.name).sort()).toEqual([...SCALED_OUT].sort());
      for (const target of scaled) expect(named(resources, target.kind, target.name)).toBeDefined();
      for (const hpa of autoscalers) {
        const body = spec<{ minReplicas: number; maxReplicas: number }>(hpa);
        expect(body.minReplicas).toBeLessThanOrEqual(body.maxReplicas);
      }
      const relay = spec<{ replicas: number; strategy: { rollingUpdate?: { maxSurge?: number } } }>(named(resources, 'Deployment', 'relay'));
      expect(relay.replicas).toBeLessThanOrEqual(2);
      expect(relay.replicas + (relay.strategy.rollingUpdate?.maxSurge ?? 0)).toBeLessThanOrEqual(2);
    });

    it('gives every Deployment and StatefulSet a disruption budget that selects its pods', () => {
      const budgets = resources.filter((resource) => resource.kind === 'PodDisruptionBudget');
      for (const workload of workloads(resources)) {
        const labels = podTemplateOf(workload)?.metadata?.labels ?? {};
        expect([workload.metadata.name, budgets.some((budget) => selects(spec<{ selector: Selector }>(budget).selector, labels))]).toEqual([workload.metadata.name, true]);
      }
    });

    it('refers only to ConfigMaps it has, to Secrets by the keys k8s/README.md lists, and sets only documented variables', () => {
      const readme = readFileSync(path.join(K8S, 'README.md'), 'utf8');
      const documentation = [readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'), ...readdirSync(path.join(REPO_ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => readFileSync(path.join(REPO_ROOT, 'docs', file), 'utf8'))].join('\n');
      const secrets = resources.filter((resource) => resource.kind === 'Secret');
      const containers = workloads(resources).concat(resources.filter((resource) => resource.kind === 'Job')).flatMap(containersOf);
      for (const container of containers) {
        for (const source of container.envFrom ?? []) if (source.configMapRef) expect(named(resources, 'ConfigMap', source.configMapRef.name)).toBeDefined();
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref === undefined) continue;
          expect(readme).toContain(`\`${ref.name}\``);
          expect(readme).toContain(`\`${ref.key}\``);
          const secret = secrets.find((each) => each.metadata.name === ref.name);
          // The prod overlay carries no Secret: they are made outside the repository.
          if (overlay === 'overlays/prod') expect(secret).toBeUndefined();
          else expect(Object.keys((secret?.['stringData'] ?? secret?.['data'] ?? {}) as object)).toContain(ref.key);
        }
        for (const variable of container.env ?? []) if (variable.name.startsWith('ARREARS_')) expect([variable.name, documentation.includes(variable.name)]).toEqual([variable.name, true]);
      }
      const config = (named(resources, 'ConfigMap', 'arrears-config')?.['data'] ?? {}) as Record<string, string>;
      for (const variable of Object.keys(config)) expect([variable, documentation.includes(variable)]).toEqual([variable, true]);
    });

    it('runs NATS as three JetStream nodes that fsync every write (sync_interval: always)', () => {
      expect(spec<{ replicas: number }>(named(resources, 'StatefulSet', 'nats')).replicas).toBe(3);
      const conf = ((named(resources, 'ConfigMap', 'nats-config')?.['data'] ?? {}) as Record<string, string>)['nats.conf'] ?? '';
      expect(conf).toMatch(/jetstream\s*\{[^}]*\bsync_interval:\s*always\b/);
      expect(conf.match(/nats-route:\/\//g)).toHaveLength(3);
    });
  });
});
