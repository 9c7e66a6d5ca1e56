// Provider dashboard charts (Chart.js, vendored). Data comes from a JSON block, not inline code.
(function () {
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var weekly = document.getElementById("weekly-chart");
  new Chart(weekly, {
    type: "bar",
    data: {
      labels: data.weekly.labels,
      datasets: [
        { label: weekly.getAttribute("data-label-signups"), data: data.weekly.signups },
        { label: weekly.getAttribute("data-label-churn"), data: data.weekly.churn }
      ]
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  new Chart(document.getElementById("plan-chart"), {
    type: "doughnut",
    data: { labels: data.plans.labels, datasets: [{ data: data.plans.values.map(Number) }] }
  });
})();
