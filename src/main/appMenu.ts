// The desktop app's menu bar: Electron's standard roles (so keyboard shortcuts, copy and paste
// work as each platform expects) plus Help › Open the README. A plain template, apart from
// Electron, so tests read it without the binary.
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  /** macOS puts About, Hide and Quit in a menu named after the app. */
  isMac: boolean;
  openReadme: () => void;
}

export function appMenuTemplate({ isMac, openReadme }: AppMenuOptions): MenuItemConstructorOptions[] {
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          role: 'appMenu',
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [{ label: 'Open the README', click: openReadme }, ...(isMac ? [] : [{ role: 'about' as const }])],
    },
  ];
}
