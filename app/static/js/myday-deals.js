// "My day": my open deals per stage as a bar chart (Chart.js, vendored). The data comes
// from a JSON block, not inline code (the CSP forbids inline scripts).
(function () {
  var source = document.getElementById("myday-deals-data");
  var canvas = document.getElementById("myday-deals-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var stages = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: stages.map(function (s) { return s.name; }),
      datasets: [{ label: canvas.getAttribute("data-label"), data: stages.map(function (s) { return s.deals; }) }]
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
