import type { StudioBridge } from './index';

declare global {
  interface Window {
    api: StudioBridge;
  }
}
