/** The API key lives in this tab's sessionStorage only: never in a URL, never logged. */
const KEY = 'hookline.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeKey(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}
