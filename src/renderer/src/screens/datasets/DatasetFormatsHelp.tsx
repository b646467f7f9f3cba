// The empty state of the Datasets screen: the file formats an import reads.

export function DatasetFormatsHelp() {
  return (
    <div className="empty" data-testid="datasets-empty">
      <h3>No datasets yet</h3>
      <p>Import a file above. Every format the command line reads works, the paper's included:</p>
      <ul className="datasets-formats">
        <li>
          <strong>Alpaca</strong> — a JSON array of <code>{'{"instruction": …, "input": …}'}</code> (the input, when
          present, is appended to the instruction).
        </li>
        <li>
          <strong>LIMA</strong> — <code>{'{"query": …, "category": …}'}</code> objects, as a JSON array or one per line
          (<code>.jsonl</code>).
        </li>
        <li>
          <strong>Plain text</strong> — a <code>.txt</code> file with one query per line.
        </li>
        <li>
          <strong>Evaluation sets</strong> — just-eval-instruct's items{' '}
          <code>{'{"id": …, "instruction": …, "category": "regular" | "safety", "dataset": …}'}</code> (JSON or{' '}
          <code>.jsonl</code>); ids, splits and sources are kept, for the Experiments screen. Choose the kind{' '}
          <code>eval-set</code>.
        </li>
        <li>
          <strong>ICL examples</strong> — the paper's object <code>{'{"<query>": "<START>…<END>"}'}</code> (each query
          mapped to its answer between the markers), or <code>{'[{"query": …, "answer": …}]'}</code>. Choose the kind{' '}
          <code>icl-examples</code>.
        </li>
      </ul>
    </div>
  );
}
