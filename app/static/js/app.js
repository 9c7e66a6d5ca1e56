// Behaviour shared by every page. No inline scripts: the CSP forbids them.
document.addEventListener("change", function (event) {
  var form = event.target.closest("form[data-autosubmit]");
  if (form) { form.submit(); }
});
