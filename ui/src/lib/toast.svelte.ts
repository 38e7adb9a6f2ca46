export type ToastKind = "info" | "error";
export const toasts = $state<{ items: { id: number; text: string; kind: ToastKind }[] }>({ items: [] });
let next = 1;

/** Shows a short message; errors stay longer. */
export function toast(text: string, kind: ToastKind = "info") {
  const id = next++;
  // At most three at a time: a burst of actions must not bury the screen.
  toasts.items = [...toasts.items, { id, text, kind }].slice(-3);
  setTimeout(() => {
    toasts.items = toasts.items.filter((x) => x.id !== id);
  }, kind === "error" ? 8000 : 4000);
}
