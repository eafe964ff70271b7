// Draws the history chart of each `.history-chart` figure of a broker-monitor report page from the
// days in its JSON script element. Needs vega.min.js loaded before; works offline (file://).
(() => {
  const spec = __VEGA_SPEC__;
  for (const figure of document.querySelectorAll('.history-chart')) {
    const days = JSON.parse(figure.querySelector('.history-days').textContent);
    const chart = structuredClone(spec);
    const values = days.map((day) => ({ ...day, t: Date.parse(`${day.day}T00:00:00Z`) }));
    for (const data of chart.data) if (data.name === 'days') data.values = values;
    new vega.View(vega.parse(chart), {
      renderer: 'svg',
      container: figure.querySelector('.chart'),
      hover: true,
    })
      .runAsync()
      .then((view) => figure.setAttribute('data-drawn', String(view.data('days').length)));
  }
})();
