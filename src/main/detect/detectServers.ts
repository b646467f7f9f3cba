// Finds the model servers already running (issue 15): probes the usual local addresses, the
// user's saved extra ones and the request's, all at once, each within PROBE_TIMEOUT_MS, and
// offers a ready connection for each server found. Saves nothing: the settings are only read.
import type { DetectedServerDto, DetectResultDto } from '../../shared/studioApi.js';
import { SettingsStore } from '../store/settingsStore.js';
import { addressesToProbe, DEFAULT_ADDRESSES } from './addresses.js';
import { connectionFor, suggestName } from './detectedConnection.js';
import { PROBE_TIMEOUT_MS, probeAddress } from './protocols.js';

export async function detectServers(options: { userDataDir: string; addresses?: string[] }): Promise<DetectResultDto> {
  const { data } = await SettingsStore.open(options.userDataDir);
  const { addresses, unusable } = addressesToProbe(DEFAULT_ADDRESSES, data.detectAddresses, options.addresses ?? []);
  const outcomes = await Promise.all(
    addresses.map((address) => probeAddress(address, AbortSignal.timeout(PROBE_TIMEOUT_MS))),
  );
  const taken = new Set(Object.keys(data.connections));
  const result: DetectResultDto = {
    found: [],
    silent: unusable.map((address) => ({
      address,
      reason: 'not probed: an address is http(s)://host:port and a path at most (no user, query or fragment)',
    })),
  };
  outcomes.forEach((outcome, i) => {
    const address = addresses[i]!;
    if (!outcome.found) {
      result.silent.push({ address, reason: outcome.reason });
      return;
    }
    const model = outcome.models[0]!.id;
    const server: DetectedServerDto = {
      kind: outcome.kind,
      address,
      models: outcome.models,
      connection: connectionFor(outcome.kind, address, model),
      suggestedName: suggestName(outcome.kind, model, taken),
    };
    result.found.push(server);
  });
  return result;
}
