/**
 * Runs the broker contract against the real image (ghcr.io/aktin/aktin-broker) when a Docker
 * engine is reachable. Without one it says so loudly and runs the very same contract against
 * the emulator, so the emulator's fidelity is still checked and nothing is skipped silently.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe } from 'vitest';
import { type BrokerEmulator, startBrokerEmulator } from '../src/index.js';
import { type ContractTarget, defineBrokerContract } from './broker-contract.js';

const IMAGE = process.env.AKTIN_BROKER_IMAGE ?? 'ghcr.io/aktin/aktin-broker:1.5.2';

// The keys shipped in the image's api-keys.properties (broker-admin-dist).
const ADMIN_KEY = 'xxxAdmin1234';
const NODES = [
  { key: 'xxxApiKey123', clientDN: 'CN=Schwarzwaldklinik,O=Schwarzwaldklinik,L=Schwarzwald' },
  {
    key: 'xxxApiKey567',
    clientDN: 'CN=Plainsboro Teaching Hospital,O=Plainsboro Teaching Hospital,L=New Jersey',
  },
] as const;

async function findDockerEngine(): Promise<{ reachable: true } | { reachable: false; reason: string }> {
  try {
    await getContainerRuntimeClient();
    return { reachable: true };
  } catch (error) {
    const socket = existsSync('/var/run/docker.sock') ? 'present' : 'absent';
    const detail = error instanceof Error ? error.message : String(error);
    return {
      reachable: false,
      reason: `${detail} (DOCKER_HOST ${process.env.DOCKER_HOST ?? 'unset'}, /var/run/docker.sock ${socket})`,
    };
  }
}

const engine = await findDockerEngine();

if (engine.reachable) {
  describe(`broker contract against the real broker image ${IMAGE}`, () => {
    let container: StartedTestContainer | undefined;
    let url = '';
    beforeAll(async () => {
      container = await new GenericContainer(IMAGE)
        .withExposedPorts(8080)
        .withWaitStrategy(Wait.forHttp('/broker/status', 8080).forStatusCode(200))
        .withStartupTimeout(180_000)
        .start();
      url = `http://${container.getHost()}:${container.getMappedPort(8080)}`;
    }, 240_000);
    afterAll(async () => {
      await container?.stop();
    });
    defineBrokerContract(() => ({ url, adminKey: ADMIN_KEY, nodes: NODES, advance: (ms) => sleep(ms) }));
  });
} else {
  console.warn(
    `\n[broker contract] THE REAL BROKER CONTRACT TEST COULD NOT RUN: no Docker engine is reachable: ${engine.reason}.\n` +
      `[broker contract] Running the same contract assertions against the emulator instead; ${IMAGE} was NOT tested.\n`,
  );
  describe('broker contract against the emulator (real broker image not tested: no Docker engine)', () => {
    let broker: BrokerEmulator | undefined;
    let target: ContractTarget | undefined;
    beforeAll(async () => {
      const started = await startBrokerEmulator({
        adminKey: ADMIN_KEY,
        nodeKeys: Object.fromEntries(NODES.map((n) => [n.key, n.clientDN])),
        now: new Date('2025-03-10T06:00:00.123Z'),
      });
      broker = started;
      target = {
        url: started.url,
        adminKey: ADMIN_KEY,
        nodes: NODES,
        advance: async (ms) => started.setNow(new Date(started.now().getTime() + ms)),
      };
    });
    afterAll(async () => {
      await broker?.close();
    });
    defineBrokerContract(() => {
      if (target === undefined) throw new Error('emulator not started');
      return target;
    });
  });
}
