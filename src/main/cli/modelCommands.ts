// drpo-studio models: pull a GGUF model (or the retrieval embedder) into the user-data folder,
// list the downloaded ones, show the catalog. A pull shows a bar on a terminal and a line at each
// tenth otherwise; Ctrl-C stops it with the partial file kept, and the same command resumes it.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { bytesOf, pullProgressText } from '../../shared/downloadProgress.js';
import { DEFAULT_EMBEDDING_MODEL } from '../../shared/runOptions.js';
import { DownloadCancelledError, type PullProgress } from '../models/ggufDownload.js';
import { listLocalModels, readModelCatalog } from '../models/modelCatalog.js';
import { pullModel } from '../models/modelPulls.js';
import { ensureHubModel } from '../store/modelStore.js';
import { downloadLines } from './downloadProgress.js';
import { EXIT, fail } from './fail.js';
import { onInterrupt } from './interrupt.js';
import { userDataDirOf, userDataOption } from './userDataOption.js';

/** What `models pull` takes for the retrieval embedding model rather than a GGUF. */
const EMBEDDER = 'embedder';

export function registerModelCommands(program: Command): void {
  const models = program
    .command('models')
    .description('local models: download a GGUF (and its connection) or the retrieval embedder, list, catalog');
  models
    .command('pull <source>')
    .description(
      `download a catalog model (by its id), hf:owner/repo/file.gguf or an http(s) URL of a .gguf into <user data>/models/gguf and save a llama-cpp connection for it (resumes a partial download); "${EMBEDDER}": the retrieval embedding model (${DEFAULT_EMBEDDING_MODEL})`,
    )
    .option('--name <name>', 'name of the connection to save (default: the file name)')
    .addOption(userDataOption())
    .action((source: string, options: { name?: string; userData?: string }) =>
      source === EMBEDDER ? pullEmbedder(options) : pullGguf(source, options),
    );
  models
    .command('list')
    .description('the GGUF models downloaded into <user data>/models/gguf')
    .addOption(userDataOption())
    .action((options: { userData?: string }) => {
      const local = listLocalModels(userDataDirOf(options));
      if (local.length === 0) process.stdout.write('no models downloaded yet (drpo-studio models catalog)\n');
      for (const m of local) process.stdout.write(`${m.file}  ${bytesOf(m.sizeBytes, null)}  ${m.path}\n`);
    });
  models
    .command('catalog')
    .description('small instruct models that run on a laptop, with their sizes and licences')
    .action(() => {
      for (const m of readModelCatalog())
        process.stdout.write(
          `${m.id}\n  ${m.name}, ${bytesOf(m.sizeBytes, null)}, ${m.licence} (${m.licenceUrl})\n  ${m.note}\n  drpo-studio models pull ${m.source}\n`,
        );
    });
}

async function pullGguf(source: string, options: { name?: string; userData?: string }): Promise<void> {
  const interrupt = onInterrupt('cancelling… (the partial download is kept; the same command resumes it)');
  const progress = pullDisplay(source);
  try {
    const done = await pullModel({
      source,
      connection: options.name,
      userDataDir: userDataDirOf(options),
      signal: interrupt.signal,
      onProgress: progress.update,
    }).finally(progress.stop);
    process.stdout.write(`saved ${done.path} (${bytesOf(done.sizeBytes, null)}) and connection "${done.connection}"\n`);
  } catch (error) {
    if (error instanceof DownloadCancelledError) fail(error.message, EXIT.cancelled);
    throw error;
  } finally {
    interrupt.release();
  }
}

/** A bar on a terminal, else a line at each tenth of the file (and the first figures). */
function pullDisplay(label: string) {
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: `{bar} {percentage}% | {text}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let tenth = -1;
  return {
    update(p: PullProgress) {
      const text = pullProgressText(p);
      if (bar) {
        if (!bar.isActive) bar.start(p.totalBytes ?? 0, 0, { text });
        bar.update(p.downloadedBytes, { text });
        return;
      }
      const now = p.totalBytes ? Math.floor((p.downloadedBytes * 10) / p.totalBytes) : 0;
      if (now <= tenth) return;
      tenth = now;
      process.stderr.write(`downloading ${label}: ${text}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** The paper's sentence-embedding model, into <user data>/models/<owner>/<name> (what runs use for retrieval). */
async function pullEmbedder(options: { userData?: string }): Promise<void> {
  const interrupt = onInterrupt('cancelling…');
  const lines = downloadLines('models pull');
  try {
    const dir = await ensureHubModel({
      userDataDir: userDataDirOf(options),
      model: DEFAULT_EMBEDDING_MODEL,
      signal: interrupt.signal,
      onProgress: (p) => lines({ type: 'download', ...p }),
    });
    process.stdout.write(`${DEFAULT_EMBEDDING_MODEL} is ready in ${dir}\n`);
  } catch (error) {
    if (interrupt.signal.aborted)
      fail('cancelled (the embedder downloads again from the start next time)', EXIT.cancelled);
    throw error;
  } finally {
    interrupt.release();
  }
}
