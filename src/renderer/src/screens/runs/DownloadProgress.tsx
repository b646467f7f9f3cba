// The embedding model's download while a run waits for it (first use of a hub model).
import { bytesOf, type DownloadShown } from '../../../../shared/downloadProgress';

export function DownloadProgress({ download }: { download: DownloadShown }) {
  const label = `Downloading ${download.model}`;
  return (
    <p className="runs-notice" role="status" data-testid="run-download">
      {/* Without a total the bar is indeterminate. */}
      <progress
        aria-label={label}
        max={download.total ?? undefined}
        value={download.total === null ? undefined : download.bytes}
      />{' '}
      {label}: {bytesOf(download.bytes, download.total)}
    </p>
  );
}
