// The console's own JavaScript (no inline scripts: the Content-Security-Policy forbids them).
// Every request htmx makes carries the CSRF token, as forms do in a hidden field.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
// After htmx swaps in the simulator's new turn, the keyboard focus stays where the person was:
// on the same key of the keypad, in the text box, or on the newest reply.
let pressed = null;
document.addEventListener("htmx:beforeRequest", () => {
  const active = document.activeElement;
  pressed = active && active.form ? { kind: active.form.elements.kind && active.form.elements.kind.value,
                                      value: active.value || "", tag: active.tagName } : null;
});
document.addEventListener("htmx:afterSwap", (event) => {
  const area = event.detail.target;
  if (area.id !== "conversation") return;
  let target = null;
  if (pressed && pressed.tag === "BUTTON") {
    target = [...area.querySelectorAll("button")].find((b) => b.form && b.form.elements.kind &&
      b.form.elements.kind.value === pressed.kind && (b.value || "") === pressed.value);
  } else if (pressed) {
    target = area.querySelector(pressed.kind === "text" ? "#sms-text" : "#speech");
  }
  if (!target) {
    target = area.querySelector(".thread > li:last-child");
    if (target) target.setAttribute("tabindex", "-1");
  }
  if (target) target.focus();
});
