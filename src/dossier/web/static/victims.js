// The victims page: each breakdown and the estimate as a bar chart (Chart.js). The same
// figures are in the tables beside the charts, so the page reads without this script.
"use strict";
(() => {
  if (typeof window.Chart === "undefined") {
    return;
  }
  const rtl = window.dossier.rtl();
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue("--accent").trim() || "#1f5f8b";
  const mark = style.getPropertyValue("--mark").trim() || "#ffe28a";
  const font = { family: style.fontFamily };

  function axes(horizontal) {
    // Categories run the way the page reads; values grow away from the start of the line.
    return {
      x: { reverse: rtl, ticks: { font } },
      y: { position: rtl && horizontal ? "right" : "left", ticks: { font },
           beginAtZero: true },
    };
  }

  const data = window.dossier.data("victims-data");
  if (data) {
    document.querySelectorAll("canvas[data-breakdown]").forEach((canvas) => {
      const figures = data.breakdowns[canvas.dataset.breakdown];
      if (!figures) {
        return;
      }
      const horizontal = figures.labels.length > 8;
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: figures.labels,
          datasets: [{ label: data.label, data: figures.values, backgroundColor: accent }],
        },
        options: {
          maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: false }, tooltip: { rtl } },
          scales: axes(horizontal),
        },
      });
    });
  }

  const estimate = window.dossier.data("estimate-data");
  const canvas = document.getElementById("estimate-chart");
  if (estimate && canvas && estimate.rows.length) {
    const rows = estimate.rows;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map((row) => row.label),
        datasets: [
          { label: estimate.recorded, data: rows.map((row) => row.recorded),
            backgroundColor: accent },
          // the 95% interval as a floating bar from its lower to its upper bound
          { label: estimate.interval, backgroundColor: mark,
            data: rows.map((row) => (row.interval && row.interval[0] !== null
              ? [row.interval[0], row.interval[1] === null ? row.estimate : row.interval[1]]
              : null)) },
        ],
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { rtl }, tooltip: { rtl } },
        scales: axes(false),
      },
    });
  }
})();
