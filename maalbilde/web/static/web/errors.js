// After a failed form the page opens on the error summary. The summary's autofocus does it
// without script; this does it also when the address still holds a field's #fragment from
// a link in an earlier summary, where browsers skip autofocus.
(function () {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
