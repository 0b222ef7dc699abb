// Starts GOV.UK Frontend and MOJ Frontend components. Loaded as a module from our own
// origin, so the Content Security Policy can stay at 'self' with no inline script.
import { initAll as initGovuk } from "../../govuk/govuk-frontend.min.js";
import { FilterToggleButton, initAll as initMoj } from "../../moj/moj-frontend.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();

// MOJ's initAll leaves out the filter panel. Without it, on a phone the panel covers the whole
// list with no way to close it; with it, the panel hides behind a "Show filter" button.
document.querySelectorAll('[data-module="moj-filter"]').forEach((panel) => {
  const filter = new FilterToggleButton(panel, {
    startHidden: false, // beside the list on a wide screen; small screens always start hidden
    toggleButton: { showText: "Show filter", hideText: "Hide filter", classes: "govuk-button--secondary" },
  });
  // An error summary link to a filter field must open the hidden panel first, or the field
  // cannot take focus. Capture phase, so this runs before GOV.UK's error summary moves focus.
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest?.(".govuk-error-summary a[href^='#']");
      const field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (field && panel.contains(field) && panel.classList.contains("moj-js-hidden") && filter.$menuButton) {
        filter.showMenu();
      }
    },
    true,
  );
});

// A table wider than the screen scrolls inside its wrapper. While it does, the wrapper can
// take focus (so keyboard users can scroll it) and is a region named after the table.
function markScrollableTables() {
  document.querySelectorAll(".socex-table-wrapper").forEach((wrapper) => {
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (scrolls) {
      const caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", `${caption ? caption.textContent.trim() : "Table"} (scrolls sideways)`);
    } else {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  });
}
markScrollableTables();
window.addEventListener("resize", markScrollableTables);
// htmx swaps in new tables (the neighbourhood search), which need the same treatment.
document.body.addEventListener("htmx:afterSettle", markScrollableTables);

// Confirm destructive actions marked data-confirm, on the form or on the button that submits it
// (e.g. switching off an account).
document.addEventListener("submit", (event) => {
  const message = event.submitter?.getAttribute("data-confirm") || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
