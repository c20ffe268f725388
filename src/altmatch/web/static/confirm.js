// Forms with data-confirm ask before they submit. A file, not an inline handler, so the
// Content-Security-Policy can forbid inline scripts.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
