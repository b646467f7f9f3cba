// Saving text as a file and copying it, the same in browser mode and in the desktop app: a file is
// a Blob downloaded through a temporary <a download> (Electron turns a download into its save
// dialog), and Copy uses the async clipboard, falling back to a hidden textarea and
// execCommand('copy') where the clipboard API is missing or refused (an insecure origin, a denied
// permission).

/** Saves `text` as `fileName` through the browser's (or Electron's) download. */
export function saveAsFile(fileName: string, text: string, type = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // Revoked a moment later: some engines start reading the URL only after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** Puts `text` on the clipboard; throws when neither way works. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through to the textarea: navigator.clipboard is undefined or refused here.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  try {
    area.select();
    if (!document.execCommand('copy')) throw new Error('the browser refused to copy');
  } finally {
    area.remove();
  }
}
