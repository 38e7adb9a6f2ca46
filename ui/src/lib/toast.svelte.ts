export type ToastKind = "info" | "error";
/** A button on the toast, e.g. 「フォルダを開く」 after a file was written. */
export type ToastAction = { label: string; run: () => unknown };
export type ToastItem = { id: number; text: string; kind: ToastKind; action?: ToastAction };
export const toasts = $state<{ items: ToastItem[] }>({ items: [] });
let next = 1;

/**
 * Shows a short message, one at a time: a new one replaces the last, and a
 * screen change clears it (clearToasts), so nothing follows the owner to
 * another screen. Errors and toasts with a button stay longer.
 */
export function toast(text: string, kind: ToastKind = "info", action?: ToastAction) {
  const id = next++;
  toasts.items = [{ id, text, kind, action }];
  setTimeout(() => {
    toasts.items = toasts.items.filter((x) => x.id !== id);
  }, kind === "error" || action ? 10000 : 4000);
}

export function clearToasts() {
  toasts.items = [];
}
