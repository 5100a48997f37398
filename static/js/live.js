// Live regions ([data-live]): htmx asks their URL every few seconds; the server
// answers 204 when nothing changed. This file keeps that cheap and harmless.
(() => {
  const isLive = (element) => element instanceof Element && element.hasAttribute("data-live");

  // A hidden tab asks nothing; a region whose ticket is gone stops asking.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const element = event.detail.elt;
    if (isLive(element) && (document.hidden || element.dataset.liveStopped)) {
      event.preventDefault();
    }
  });

  // Back on the tab: ask at once instead of waiting for the next tick.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden || !window.htmx) return;
    document.querySelectorAll("[data-live]").forEach((element) => window.htmx.trigger(element, "livenow"));
  });

  // Never replace a field someone is typing in: the region keeps its old
  // version, so the next check brings the change once the field is left.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    const active = document.activeElement;
    if (!isLive(target) || !active || !target.contains(active)) return;
    if (active.matches("input:not([type=hidden]), textarea, select")) {
      event.detail.shouldSwap = false;
    }
  });

  // Not found or not allowed any more (moved to another queue, signed in as
  // someone else): stop asking; the page itself still shows what it had.
  document.addEventListener("htmx:responseError", (event) => {
    const element = event.detail.elt;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (isLive(element) && (status === 403 || status === 404)) {
      element.dataset.liveStopped = "true";
    }
  });
})();
