// Long-running forms (a large import) say that they are working, and cannot be sent twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-busy");
  if (!message) return;
  // Disabled only after the browser has read the form: a disabled submit button sends no value.
  setTimeout(function () {
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }, 0);
  var note = document.createElement("p");
  note.className = "notice";
  note.setAttribute("role", "status");
  note.textContent = message;
  form.appendChild(note);
});

// The organiser's check-in screen reloads when its code changes; the certificate prints on demand.
document.addEventListener("DOMContentLoaded", function () {
  var refreshing = document.querySelector("[data-refresh]");
  if (refreshing) setTimeout(function () { location.reload(); }, Number(refreshing.getAttribute("data-refresh")) * 1000);
  var print = document.querySelector("[data-print]");
  if (print) print.addEventListener("click", function () { window.print(); });
});
