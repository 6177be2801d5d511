// The entity profile: documents by year as a bar chart, the company as a network graph.
// The same figures are in the page's tables; without these libraries the page still works.
"use strict";
(function () {
  const rtl = window.dossier.rtl();

  const years = window.dossier.data("years-data");
  const canvas = document.getElementById("years-chart");
  if (years && canvas && window.Chart) {
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: years.labels,
        datasets: [{ label: years.label, data: years.counts, backgroundColor: "#1f5f8b" }],
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false, rtl: rtl } },
        scales: { x: { reverse: rtl }, y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  const graph = window.dossier.data("company-data");
  const box = document.getElementById("company-graph");
  if (graph && box && window.cytoscape) {
    const heaviest = Math.max(1, ...graph.edges.map((edge) => edge.weight));
    const cy = window.cytoscape({
      container: box,
      elements: {
        nodes: graph.nodes.map((node) => ({ data: node, classes: node.kind + (node.center ? " center" : "") })),
        edges: graph.edges.map((edge, index) => ({
          data: { id: "e" + index, source: edge.source, target: edge.target,
                  weight: edge.weight, width: 1 + 5 * edge.weight / heaviest },
        })),
      },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 11, "text-valign": "bottom",
                                     "text-margin-y": 4, "background-color": "#5b6673", width: 18, height: 18 } },
        { selector: "node.person", style: { "background-color": "#1f5f8b" } },
        { selector: "node.unit, node.facility", style: { shape: "round-rectangle", "background-color": "#8a5a00" } },
        { selector: "node.center", style: { width: 30, height: 30, "border-width": 3, "border-color": "#1d232b" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#c3ccd6", "curve-style": "bezier" } },
      ],
      // The entity in the middle, those mentioned with it in a ring around it.
      layout: { name: "concentric", animate: false, padding: 40, minNodeSpacing: 90,
                concentric: (node) => (node.data("center") ? 2 : 1), levelWidth: () => 1 },
      // A small graph would be zoomed to fill the box, its labels grown over each other.
      maxZoom: 1.5,
      wheelSensitivity: 0.3,
    });
    cy.center();
    cy.on("tap", "node", (event) => {
      const url = event.target.data("url");
      if (url && !event.target.data("center")) { window.location.href = url; }
    });
  }
})();
