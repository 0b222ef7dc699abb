// Starts GOV.UK Frontend and MOJ Frontend components. Loaded as a module from our own
// origin, so the Content Security Policy can stay at 'self' with no inline script.
import { initAll as initGovuk } from "../../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../../moj/moj-frontend.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();

// Confirm destructive actions marked data-confirm (e.g. revoking a token).
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
