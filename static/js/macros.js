// The agent's reply box: choosing a macro puts its text (already filled in by the
// server) after what is typed and sets "Then" to the macro's status. Without this
// script the "Insert" button does the same through the server.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.id !== "macro-select") return;
  const picker = select.closest("[data-macro-body]");
  const option = select.selectedOptions[0];
  if (!picker || !option || !option.value) return;
  const body = document.getElementById(picker.dataset.macroBody);
  const status = document.getElementById(picker.dataset.macroStatus);
  if (body) {
    const typed = body.value.replace(/\s+$/, "");
    body.value = typed ? `${typed}\n\n${option.dataset.text}` : option.dataset.text;
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }
  // "Then" offers only what the ticket allows (no "solved" while its case is
  // undecided): a macro's status it does not offer leaves the choice as it was.
  const wanted = option.dataset.status;
  if (status && wanted && [...status.options].some((choice) => choice.value === wanted)) {
    status.value = wanted;
  }
  select.value = "";
  if (body) {
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
  }
});
