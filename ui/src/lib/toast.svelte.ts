export type ToastKind = "info" | "error";
export const toasts = $state<{ items: { id: number; text: string; kind: ToastKind }[] }>({ items: [] });
let next = 1;

/** Shows a short message; errors stay longer. */
export function toast(text: string, kind: ToastKind = "info") {
  const id = next++;
  toasts.items.push({ id, text, kind });
  setTimeout(() => {
    toasts.items = toasts.items.filter((x) => x.id !== id);
  }, kind === "error" ? 8000 : 4000);
}
