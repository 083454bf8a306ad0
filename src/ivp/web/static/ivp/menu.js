// The main menu as a disclosure on narrow screens (ADR 0018). Without this script the whole menu simply shows.
(function () {
  "use strict";
  var button = document.querySelector(".ivp-menu-toggle");
  var nav = document.getElementById("ivp-nav");
  if (!button || !nav) { return; }
  button.hidden = false;
  document.documentElement.classList.add("ivp-menu-ready");
  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
  });
})();
