// The renderer sees the preload's types, never its code (HOUSE-STYLE 3).
import type { MidcApi } from '../shared/contract/api';

declare global {
  interface Window {
    readonly api: MidcApi;
  }
}
