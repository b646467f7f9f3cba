// Pause, resume, cancel, fork from the selected node, duplicate, remove (asking first); export once
// finished, saved as a file or copied. An imported run whose backends need a connection can do
// neither resume, fork nor duplicate until they are bound. What the user starts here is watched for
// its end (a desktop notification when it ran long: endNotices.ts).
import { useId, useState } from 'react';
import { hasFinished } from '../../../../shared/runStatus';
import type { ExportFormatDto, RunStage, RunStatus, StudioApi } from '../../../../shared/studioApi';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { SaveCopy } from '../../components/SaveCopy';
import { watchEnd } from '../../shell/endNotices';
import { errorMessage } from '../../shell/format';

/** The file an export is saved as: the run's id and what the format is. */
const EXPORT_FILES: Record<ExportFormatDto, { suffix: string; type: string }> = {
  text: { suffix: '.prompt.txt', type: 'text/plain;charset=utf-8' },
  messages: { suffix: '.messages.json', type: 'application/json' },
  modelfile: { suffix: '.Modelfile', type: 'text/plain;charset=utf-8' },
};

interface Props {
  studio: StudioApi;
  runId: string;
  stage: RunStage | null;
  status: RunStatus | null;
  selectedNodeId: string | null;
  /** An imported run with backends not bound to a saved connection yet. */
  needsConnection: boolean;
  onChanged: () => void;
  onForked: (id: string) => void;
  onRemoved: () => void;
}

export function RunControls({
  studio,
  runId,
  stage,
  status,
  selectedNodeId,
  needsConnection,
  onChanged,
  onForked,
  onRemoved,
}: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportFormatDto>('text');
  const [model, setModel] = useState('');
  const [exported, setExported] = useState<{ format: ExportFormatDto; text: string } | null>(null);
  const formatId = useId();
  const modelId = useId();

  const act = async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const running = status === 'running';
  const resumable = (status === 'paused' || status === 'failed') && !needsConnection;
  const cancellable = status === 'running' || status === 'paused' || status === 'failed';
  const forkable = stage === 'system-prompt' && selectedNodeId !== null && !needsConnection;
  const bindFirst = 'Bind its backends to your saved connections first';
  const finished = hasFinished(status);

  return (
    <div className="run-controls">
      <fieldset className="runs-actions plain-group" aria-label="Run controls">
        <button
          type="button"
          data-testid="pause-run"
          disabled={!running || busy !== null}
          onClick={() => act('pause', () => studio.runs.pause(runId))}
        >
          {busy === 'pause' ? 'Pausing…' : 'Pause'}
        </button>
        <button
          type="button"
          data-testid="resume-run"
          disabled={!resumable || busy !== null}
          title={needsConnection ? bindFirst : undefined}
          onClick={() =>
            act('resume', async () => {
              await studio.runs.resume(runId);
              watchEnd('run', runId, { resumed: true });
            })
          }
        >
          {busy === 'resume' ? 'Resuming…' : 'Resume'}
        </button>
        <button
          type="button"
          data-testid="cancel-run"
          disabled={!cancellable || busy !== null}
          onClick={() => act('cancel', () => studio.runs.cancel(runId))}
        >
          {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
        </button>
        <button
          type="button"
          data-testid="fork-run"
          disabled={!forkable || busy !== null}
          title={
            stage === 'icl'
              ? 'Only system-prompt runs can be forked'
              : needsConnection
                ? bindFirst
                : selectedNodeId
                  ? `A new run starting from node ${selectedNodeId}'s prompt`
                  : 'Select a node in the tree first'
          }
          onClick={() =>
            act('fork', async () => {
              const { id } = await studio.runs.fork(runId, selectedNodeId!);
              watchEnd('run', id);
              onForked(id);
            })
          }
        >
          {busy === 'fork' ? 'Forking…' : selectedNodeId ? `Fork from ${selectedNodeId}` : 'Fork from node'}
        </button>
        <button
          type="button"
          data-testid="duplicate-run"
          disabled={needsConnection || busy !== null}
          title={needsConnection ? bindFirst : 'A new run of the same config, started now'}
          onClick={() =>
            act('duplicate', async () => {
              const { id } = await studio.runs.duplicate(runId);
              watchEnd('run', id);
              onForked(id);
            })
          }
        >
          {busy === 'duplicate' ? 'Duplicating…' : 'Duplicate'}
        </button>
        <ConfirmRemove
          label={`run ${runId}`}
          disabled={running || busy !== null}
          title={running ? 'Pause or cancel the run first' : 'Delete the run and its folder'}
          onRemove={async () => {
            await studio.runs.remove(runId);
            onRemoved();
          }}
          testId="remove-run"
        />
      </fieldset>

      {finished && (
        <div className="run-export">
          <div className="runs-row">
            <div className="runs-field runs-field--narrow">
              <label htmlFor={formatId}>Export format</label>
              <select
                id={formatId}
                data-testid="export-format"
                value={format}
                onChange={(e) => setFormat(e.target.value as ExportFormatDto)}
              >
                <option value="text">text</option>
                <option value="messages">messages</option>
                <option value="modelfile">modelfile</option>
              </select>
            </div>
            {format === 'modelfile' && (
              <div className="runs-field runs-field--narrow">
                <label htmlFor={modelId}>Model</label>
                <input id={modelId} value={model} placeholder="my-model" onChange={(e) => setModel(e.target.value)} />
              </div>
            )}
            <button
              type="button"
              data-testid="export-run"
              disabled={busy !== null}
              onClick={() =>
                act('export', async () =>
                  setExported({ format, text: await studio.runs.export(runId, format, model ? { model } : undefined) }),
                )
              }
            >
              {busy === 'export' ? 'Exporting…' : 'Export'}
            </button>
          </div>
          {exported !== null && (
            <>
              <textarea
                className="export-output"
                data-testid="export-output"
                readOnly
                value={exported.text}
                rows={8}
                aria-label="Exported run"
              />
              <SaveCopy
                text={() => exported.text}
                fileName={`${runId}${EXPORT_FILES[exported.format].suffix}`}
                type={EXPORT_FILES[exported.format].type}
                what="the export"
                testId="export"
              />
            </>
          )}
        </div>
      )}

      {error && (
        <p className="runs-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
