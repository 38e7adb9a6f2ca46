// Errors where the eye is: a message right below the field at fault, the field
// marked invalid and focused. Used for the browser's own checks (an empty
// required field, a half-typed date) that WebKit would otherwise refuse
// silently, and for errors the core names a field for.

const MARK = "data-field-error";

/** Removes the message shown for `el`, if any. */
export function clearFieldError(el: Element) {
  const id = el.getAttribute("aria-describedby");
  if (id && document.getElementById(id)?.hasAttribute(MARK)) {
    document.getElementById(id)?.remove();
    el.removeAttribute("aria-describedby");
    el.removeAttribute("aria-invalid");
  }
}

/** Shows `text` right after `el` (after its label when the field sits inside one) and focuses it. */
export function showFieldError(el: HTMLElement, text: string) {
  clearFieldError(el);
  const p = document.createElement("p");
  p.className = "error field-error";
  p.setAttribute("role", "alert");
  p.setAttribute(MARK, "");
  p.id = `fe-${Math.random().toString(36).slice(2, 10)}`;
  p.dataset.testid = "field-error";
  p.textContent = text;
  const anchor = el.closest("label.inline, .path-field") ?? el;
  anchor.insertAdjacentElement("afterend", p);
  el.setAttribute("aria-invalid", "true");
  el.setAttribute("aria-describedby", p.id);
  el.addEventListener("input", () => clearFieldError(el), { once: true });
  el.addEventListener("change", () => clearFieldError(el), { once: true });
  el.focus();
}

/** The field an error names inside `scope` (`data-field`, else the id), if it is there. */
export function fieldIn(scope: ParentNode | null, field: string | null | undefined): HTMLElement | null {
  if (!scope || !field) return null;
  return scope.querySelector<HTMLElement>(`[data-field~="${CSS.escape(field)}"]`);
}

/**
 * Shows an error from the core below the field it names, when that field is in
 * `scope`; returns false when it is not (the caller shows it at the form).
 */
export function placeError(scope: ParentNode | null, err: unknown, text: string): boolean {
  const field = (err as { field?: string | null } | null)?.field;
  const el = fieldIn(scope, field);
  if (!el) return false;
  showFieldError(el, text);
  return true;
}
