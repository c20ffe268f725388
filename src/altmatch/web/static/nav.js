// The header's Menu button (templates/base.html). Below 48rem the nav and account links fold
// behind it; at desktop widths the stylesheet hides the button and shows the links inline.
// Without this script the button stays hidden and the links show, so every link is reachable.
// Loaded right after the header (not deferred) so a phone never paints the menu open first.
(() => {
  const header = document.getElementById("site-header");
  const button = document.getElementById("menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!header || !button || !menu) return;

  const isOpen = () => button.getAttribute("aria-expanded") === "true";
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  };

  header.classList.add("js-menu");
  button.hidden = false;
  setOpen(false);

  button.addEventListener("click", () => setOpen(!isOpen()));

  // Escape closes the menu; focus returns to the button when it was inside the menu.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !isOpen()) return;
    const focusWasInside = menu.contains(document.activeElement);
    setOpen(false);
    if (focusWasInside || document.activeElement === document.body) button.focus();
  });

  // A click outside the header closes it too, as a reader tapping the page expects.
  document.addEventListener("click", (event) => {
    if (isOpen() && event.target instanceof Node && !header.contains(event.target)) setOpen(false);
  });
})();
