// Forms marked data-busy say that they are working once submitted, and cannot be sent twice:
// publishing takes seconds, and a second click must not look like nothing happened.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !("busy" in form.dataset) || event.defaultPrevented) {
    return;
  }
  if (form.dataset.sent === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "true";
  form.setAttribute("aria-busy", "true");
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.setAttribute("aria-disabled", "true");
  }
  const message = form.querySelector("[data-busy-message]");
  if (message) {
    message.hidden = false;
  }
});

// Back from the next page, the browser may show this one as it was left (its cache of pages):
// a form that was sent is ready again.
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-busy][data-sent]")) {
    delete form.dataset.sent;
    form.removeAttribute("aria-busy");
    for (const button of form.querySelectorAll("button[type=submit]")) {
      button.removeAttribute("aria-disabled");
    }
    const message = form.querySelector("[data-busy-message]");
    if (message) {
      message.hidden = true;
    }
  }
});
