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
// Recording a sentence in the page (the Recordings pages): Record starts the microphone, Stop sends
// what was said to the form's address, where the server converts it; then the page shows the result.
// Its words come from the button's data-* attributes, written by the page in the console's language.
document.querySelectorAll("button[data-record]").forEach((button) => {
  if (!window.MediaRecorder || !navigator.mediaDevices) return;
  button.hidden = false;
  const status = button.form.querySelector("[data-record-status]");
  const words = button.dataset, record = button.textContent;
  let recorder = null;
  button.addEventListener("click", async () => {
    if (recorder) { recorder.stop(); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      status.textContent = words.noMicrophone;
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.addEventListener("dataavailable", (event) => chunks.push(event.data));
    recorder.addEventListener("stop", async () => {
      stream.getTracks().forEach((track) => track.stop());
      recorder = null;
      button.textContent = record;
      status.textContent = words.sending;
      const body = new FormData();
      body.set("csrf_token", button.form.elements.csrf_token.value);
      body.set("recorded", "1");
      body.set("audio", new Blob(chunks, { type: chunks[0] ? chunks[0].type : "audio/webm" }), "recording");
      const response = await fetch(button.form.action, { method: "POST", body, headers: { "X-Recording": "1" } });
      if (!response.ok) {
        status.textContent = words.notSent.replace("{status}", response.status);
        return;
      }
      const target = new URL((await response.json()).location, window.location.href);
      if (target.pathname === window.location.pathname) {  // only the #sentence differs: load the page again
        window.location.hash = target.hash;
        window.location.reload();
      } else {
        window.location.assign(target);
      }
    });
    recorder.start();
    button.textContent = words.stop;
    status.textContent = words.recording;
  });
});
