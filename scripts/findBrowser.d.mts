// Types for findBrowser.mjs, which playwright.config.ts imports.
export declare const missingBrowserMessage: string;
export declare function findBrowser(): { path: string; source: string } | undefined;
