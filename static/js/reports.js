// Draws the reports' charts with Chart.js (static/vendor/chart.js, from the npm
// registry). Each <canvas data-chart="ID"> names a <script type="application/json"
// id="ID"> holding its Chart.js configuration, written by the server; this file
// only adds colours and common options. The numbers are also in a table beside
// each chart, so the page works without scripts.
(() => {
  const palette = ["#d1401f", "#2f6db5", "#1d7a46", "#9a6200", "#7b4bb3", "#0f8a8a", "#b3261e", "#5b6676"];
  // One colour per name across the page: a topic or queue looks the same in every chart.
  const named = new Map();
  const colourOf = (name) => {
    if (!named.has(name)) named.set(name, palette[named.size % palette.length]);
    return named.get(name);
  };
  const soft = (colour) => `${colour}cc`;

  function colour(config) {
    const datasets = config.data.datasets;
    const byPoint = config.type === "bar" && datasets.length === 1;
    datasets.forEach((dataset) => {
      const base = colourOf(dataset.label);
      if (config.type === "line") {
        dataset.borderColor = base;
        dataset.backgroundColor = soft(base);
        dataset.borderWidth = 2;
        dataset.pointRadius = config.data.labels.length > 40 ? 0 : 3;
      } else if (dataset.type === "line") {
        // A mark per bar group (e.g. a target), not a line joining unrelated groups.
        dataset.borderColor = base;
        dataset.backgroundColor = base;
        dataset.showLine = false;
        dataset.pointStyle = "line";
        dataset.pointRadius = 16;
        dataset.pointHoverRadius = 18;
        dataset.pointBorderWidth = 3;
      } else if (byPoint) {
        // One series: a colour per bar reads better than one flat colour.
        dataset.backgroundColor = config.data.labels.map((label) => soft(colourOf(label)));
      } else {
        dataset.backgroundColor = soft(base);
      }
    });
  }

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) return;
    const config = JSON.parse(source.textContent);
    colour(config);
    config.options = Object.assign({}, config.options, {
      responsive: true,
      maintainAspectRatio: false,
      // Drawn at once: reports are read, not watched.
      animation: false,
      plugins: {
        legend: { display: config.data.datasets.length > 1, position: "bottom" },
      },
    });
    new window.Chart(canvas, config);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
