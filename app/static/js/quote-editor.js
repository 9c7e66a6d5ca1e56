// The quote editor: as a product code or name is typed, offer matching products and show,
// under the line, the customer's price and that product's past quoted prices (last, lowest,
// average, with dates). No inline scripts: the CSP forbids them.
(function () {
  var editor = document.querySelector(".quote-editor");
  if (!editor) { return; }
  var options = document.getElementById("product-options");
  var timer = null;

  function value(name) {
    var input = editor.querySelector("[name='" + name + "']");
    return input ? input.value : "";
  }

  function describe(stats, label) {
    if (!stats) { return label + ": —"; }
    return label + ": " + stats.last + " (" + stats.last_at + ") · min " + stats.lowest +
      " (" + stats.lowest_at + ") · avg " + stats.average + " · n=" + stats.count;
  }

  function lookup(input) {
    var row = input.closest(".quote-line");
    var url = editor.dataset.lineInfo + "?" + new URLSearchParams({
      q: input.value, customer: value("customer_code"), currency: value("currency")});
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (products) {
        options.replaceChildren();
        products.forEach(function (p) {
          var option = document.createElement("option");
          option.value = p.code;
          option.label = p.name;
          options.appendChild(option);
        });
        var exact = products.filter(function (p) {
          return p.code.toLowerCase() === input.value.trim().toLowerCase();
        })[0];
        var history = row.querySelector(".line-history");
        var price = row.querySelector("[name='line_price']");
        if (!exact) { history.textContent = ""; return; }
        price.placeholder = exact.price || "";
        history.textContent = exact.name + " · " + (exact.price || "—") + " · " +
          describe(exact.history.customer, "↺ " + value("customer_code")) + " · " +
          describe(exact.history.overall, "↺ *");
      });
  }

  editor.addEventListener("input", function (event) {
    if (event.target.name !== "line_code") { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { lookup(event.target); }, 250);
  });
  editor.querySelectorAll("[name='line_code']").forEach(function (input) {
    if (input.value) { lookup(input); }
  });
})();
