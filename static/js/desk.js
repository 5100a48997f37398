// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// Forms marked data-autosubmit submit as soon as a choice changes.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});

// Suggestions as you type: the server renders (and escapes) the list.
function attachSuggestions(input) {
  const target = document.getElementById(input.dataset.suggestTarget);
  if (!target) return;
  let timer = null;
  let controller = null;
  const close = () => {
    clearTimeout(timer);
    if (controller) controller.abort();
    target.replaceChildren();
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      close();
      return;
    }
    timer = setTimeout(async () => {
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const url = `${input.dataset.suggestUrl}?q=${encodeURIComponent(query)}`;
        const response = await fetch(url, { signal: controller.signal, headers: { "X-Requested-With": "fetch" } });
        // An answer for text that is no longer in the box is dropped.
        if (!response.ok || input.value.trim() !== query) return;
        // A parsed document's scripts never run, even once moved into the page.
        const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
        target.replaceChildren(...parsed.body.childNodes);
      } catch (error) {
        if (error.name !== "AbortError") target.replaceChildren();
      }
    }, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  document.addEventListener("click", (event) => {
    if (!input.form.contains(event.target)) close();
  });
}
document.querySelectorAll("input[data-suggest-url]").forEach(attachSuggestions);
