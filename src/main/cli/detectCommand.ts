// drpo-studio detect: lists the model servers running at the usual local addresses (and at
// --address ones) with their models and context sizes, numbered; `--save NAME` saves the one
// `--pick` names (its number or address; needless when only one was found) as a connection.
// Nothing is written without --save (or --remember, which keeps the --address ones for later).
import type { Command } from 'commander';
import type { DetectedServerDto, DetectResultDto } from '../../shared/studioApi.js';
import { createStudioService } from '../api/studioService.js';
import { addressesToProbe, normalizeAddress } from '../detect/addresses.js';
import { detectServers } from '../detect/detectServers.js';
import { SettingsStore } from '../store/settingsStore.js';
import { fail } from './fail.js';
import { userDataDirOf, userDataOption } from './userDataOption.js';

interface DetectOptions {
  address: string[];
  save?: string;
  pick?: string;
  model?: string;
  remember?: boolean;
  userData?: string;
}

export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      'find the model servers running here (Ollama, LM Studio, llama.cpp server, vLLM, OpenAI-compatible); saves only with --save',
    )
    .option('--address <url>', 'also probe this address (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--save <name>', 'save a server found as a connection of this name')
    .option('--pick <n|url>', 'which server --save saves: its number in the list, or its address')
    .option('--model <id>', "the model the saved connection uses (default: the server's first)")
    .option('--remember', 'keep the --address ones in the settings: every later detect probes them too')
    .addOption(userDataOption())
    .action(async (options: DetectOptions) => {
      const { addresses, unusable } = addressesToProbe(options.address);
      if (unusable.length > 0)
        fail(
          `--address ${unusable[0]}: an address is http(s)://host:port and a path at most (no user, query or fragment)`,
        );
      if ((options.pick || options.model) && !options.save)
        fail('--pick and --model choose what --save saves: add --save NAME');
      const userDataDir = userDataDirOf(options);
      const result = await detectServers({ userDataDir, addresses });
      printResult(result);
      if (options.remember && addresses.length > 0) {
        await (await SettingsStore.open(userDataDir)).update((s) => {
          s.detectAddresses = [...new Set([...s.detectAddresses, ...addresses])];
        });
        process.stdout.write(
          `remembered ${addresses.join(', ')}: every detect probes ${addresses.length === 1 ? 'it' : 'them'} too\n`,
        );
      }
      if (options.save) await save(result.found, options.save, options, userDataDir);
    });
}

function printResult({ found, silent }: DetectResultDto): void {
  const out = process.stdout;
  found.forEach((server, i) => {
    const models = server.models
      .map((m) => (m.contextLength ? `${m.id} (context ${m.contextLength})` : m.id))
      .join(', ');
    out.write(`${i + 1}. ${server.kind} at ${server.address}: ${models} — would save as ${server.suggestedName}\n`);
  });
  for (const { address, reason } of silent) out.write(`-  ${address}: ${reason}\n`);
  if (found.length === 0)
    out.write('no model server found; start one (e.g. `ollama serve`), or name its address with --address URL\n');
  else out.write(`to save one: drpo-studio detect --save NAME${found.length > 1 ? ' --pick N' : ''}\n`);
}

async function save(found: DetectedServerDto[], name: string, options: DetectOptions, userDataDir: string) {
  const server = picked(found, options.pick);
  const { connection } = server;
  const model = options.model ?? String(connection.settings?.model);
  if (!server.models.some((m) => m.id === model))
    fail(`${server.address} serves no model "${model}" (it serves ${server.models.map((m) => m.id).join(', ')})`);
  const service = createStudioService({ userDataDir });
  try {
    if (Object.hasOwn(await service.api.connections.list(), name))
      fail(`a connection named "${name}" exists already; choose another name (or remove it first)`);
    await service.api.connections.save(name, { ...connection, settings: { ...connection.settings, model } });
  } finally {
    await service.close();
  }
  process.stdout.write(`saved ${server.kind} at ${server.address} (model ${model}) as connection "${name}"\n`);
}

function picked(found: DetectedServerDto[], pick: string | undefined): DetectedServerDto {
  if (found.length === 0) fail('--save: no server was found to save');
  if (pick === undefined) {
    if (found.length > 1)
      fail(`--save: ${found.length} servers were found; say which with --pick N (1 to ${found.length}) or --pick URL`);
    return found[0]!;
  }
  const byNumber = /^\d+$/.test(pick) ? found[Number(pick) - 1] : undefined;
  const byAddress = found.find((s) => s.address === normalizeAddress(pick));
  return (
    byNumber ??
    byAddress ??
    fail(`--pick ${pick}: no such server in the list (1 to ${found.length}, or an address found)`)
  );
}
