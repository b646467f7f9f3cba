// "Save as file" and "Copy" for a text the studio shows (an export, a table): the text is made
// when asked (`text` may fetch it), and the outcome is said beside the buttons ("Copied.").
import { useState } from 'react';
import { errorMessage } from '../shell/format';
import { copyText, saveAsFile } from '../shell/saveText';

interface Props {
  /** The text to save or copy, made on demand. */
  text: () => string | Promise<string>;
  fileName: string;
  /** The file's MIME type (default plain text). */
  type?: string;
  /** What is saved, for the buttons' accessible names ("the export", "the per-aspect table as CSV"). */
  what: string;
  /** Test ids: `${testId}-save`, `${testId}-copy`, `${testId}-outcome`. */
  testId: string;
  disabled?: boolean;
}

export function SaveCopy({ text, fileName, type, what, testId, disabled = false }: Props) {
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const act = async (action: 'save' | 'copy') => {
    setOutcome(null);
    try {
      const value = await text();
      if (action === 'save') {
        saveAsFile(fileName, value, type);
        setOutcome({ ok: true, text: `Saved ${fileName}.` });
      } else {
        await copyText(value);
        setOutcome({ ok: true, text: 'Copied.' });
      }
    } catch (e) {
      setOutcome({ ok: false, text: `Cannot ${action === 'save' ? 'save' : 'copy'} ${what}: ${errorMessage(e)}` });
    }
  };

  return (
    <span className="save-copy">
      <button
        type="button"
        className="small"
        disabled={disabled}
        aria-label={`Save ${what} as a file`}
        onClick={() => void act('save')}
        data-testid={`${testId}-save`}
      >
        Save as file
      </button>{' '}
      <button
        type="button"
        className="small"
        disabled={disabled}
        aria-label={`Copy ${what}`}
        onClick={() => void act('copy')}
        data-testid={`${testId}-copy`}
      >
        Copy
      </button>
      {outcome && (
        <span
          className={outcome.ok ? 'muted small save-copy__outcome' : 'alert save-copy__outcome'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid={`${testId}-outcome`}
        >
          {outcome.text}
        </span>
      )}
    </span>
  );
}
