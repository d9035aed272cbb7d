/* Page behaviours declared in the markup, so templates need no inline event handlers (the content
   security policy refuses them):
     data-confirm="…"   on a button or link: ask before the click goes through; on a form: before it submits
     data-autosubmit     on a select or input: submit its form when the value changes
     data-print          print the page
     data-back           go back one page
     data-toggle-sidebar toggle the navigation on narrow screens
     data-nav-param="x"  on a select: reload the page with ?x=<value> */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm], [data-print], [data-back], [data-toggle-sidebar]");
    if (!el) return;
    if (el.hasAttribute("data-confirm") && el.tagName !== "FORM") {
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    } else if (el.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (el.hasAttribute("data-back")) {
      event.preventDefault();
      window.history.back();
    } else if (el.hasAttribute("data-toggle-sidebar")) {
      var sidebar = document.getElementById("sidebar");
      if (sidebar) sidebar.classList.toggle("show");
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    } else if (el.hasAttribute("data-nav-param")) {
      window.location.search = "?" + encodeURIComponent(el.getAttribute("data-nav-param")) + "=" + encodeURIComponent(el.value);
    }
  });
})();
