// The gateway card: address, node ports, access URLs, ready replicas and health come from the
// gateway's Service, Deployment and the nodes, live.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

// Cluster page only for now: the project page already holds 4 watches, and 3 more per card
// exceed the browser's 6 HTTP/1.1 connections per host behind kubectl proxy / trunk serve
// (navigation then stalls). The shared, budgeted watch hub of issue 4 lifts this.

const CS = 'kubesphere-controls-system';

test('NodePort: control-plane InternalIP, node ports and links, ready replicas, running', async ({ page }) => {
  // pace 1: a new pod takes about a second to become ready, so the progress can be seen
  const env = await launch({ scenario: 'nodeport', pace: '1' });
  const svc = JSON.parse(await kubectl(env.cluster, ['get', 'svc', '-n', CS, 'kubesphere-router-kubesphere-system', '-o', 'json']));
  const [http, https] = ['http', 'https'].map((n) => svc.spec.ports.find((p) => p.name === n).nodePort);
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-address')).toHaveText('192.168.0.2');
  await expect(page.getByTestId('gateway-node-ports')).toHaveText(`HTTP ${http} · HTTPS ${https}`);
  await expect(page.getByTestId('gateway-url')).toHaveText([`http://192.168.0.2:${http}`, `https://192.168.0.2:${https}`]);
  await expect(page.getByTestId('gateway-url').first()).toHaveAttribute('href', `http://192.168.0.2:${http}`);
  await expect(page.getByTestId('gateway-replicas')).toHaveText('2/2 ready');
  await expect(page.getByTestId('gateway-health')).toHaveText('Running');
  // scaling shows progress (the new pod is not ready yet), then the new ready count
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, 'kubesphere-router-kubesphere-system', '--type=merge', '-p', '{"spec":{"deployment":{"replicas":3}}}']);
  await expect(page.getByTestId('gateway-replicas')).toHaveText('2/3 ready');
  await expect(page.getByTestId('gateway-health')).toHaveText('Updating');
  await expect(page.getByTestId('gateway-replicas')).toHaveText('3/3 ready', { timeout: 15_000 });
  await expect(page.getByTestId('gateway-health')).toHaveText('Running');
});

test('LoadBalancer: the provider is named and the address is still shown (console#2983)', async ({ page }) => {
  const env = await launch({ scenario: 'loadbalancer' });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-provider')).toHaveText('QingCloud Kubernetes Engine');
  await expect(page.getByTestId('gateway-address')).toHaveText(/^139\.198\.\d+\.\d+$/);
  await expect(page.getByTestId('gateway-url').first()).toHaveText(/^http:\/\/139\.198\.\d+\.\d+$/);
  // switching to NodePort with kubectl: the card follows
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, 'kubesphere-router-kubesphere-system', '--type=merge', '-p', '{"spec":{"service":{"type":"NodePort"}}}']);
  await expect(page.getByTestId('gateway-access-mode')).toHaveText('NodePort');
  await expect(page.getByTestId('gateway-address')).toHaveText('192.168.0.2', { timeout: 15_000 });
});

test('an unusable configuration value shows the release failure with its message', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-health')).toHaveText('Running');
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, 'kubesphere-router-kubesphere-system', '--type=merge', '-p', '{"spec":{"controller":{"config":{"proxy-read-timeout":"soon"}}}}']);
  await expect(page.getByTestId('gateway-health')).toHaveText('Failed', { timeout: 15_000 });
  await expect(page.getByTestId('gateway-failure')).toContainText('proxy-read-timeout');
});
