import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const COLOURS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

/**
 * What a chart drew, on its canvas for the browser tests and for anyone inspecting the page: `data-points` counts the
 * values drawn (bars: non-zero; lines: non-null), `data-chart` holds the labels and every series as JSON.
 */
function describe(canvas: HTMLCanvasElement, labels: readonly string[], series: readonly { label: string; values: readonly (number | null)[] }[], drawn: (value: number | null) => boolean): void {
  canvas.dataset['points'] = String(series.reduce((sum, one) => sum + one.values.filter(drawn).length, 0));
  canvas.dataset['chart'] = JSON.stringify({ labels, series: series.map((one) => ({ label: one.label, values: one.values })) });
}

/** A bar chart (stacked when there are several series) on a canvas of its own. */
export function barChart(title: string, labels: readonly string[], series: readonly { label: string; values: readonly number[] }[]): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-label', title);
  describe(canvas, labels, series, (value) => value !== 0);
  figure.append(canvas, Object.assign(document.createElement('figcaption'), { textContent: title }));
  const datasets: ChartDataset<'bar', number[]>[] = series.map((one, index) => ({ label: one.label, data: [...one.values], backgroundColor: COLOURS[index % COLOURS.length] ?? '#2563eb' }));
  const stacked = series.length > 1;
  new Chart(canvas, {
    type: 'bar',
    data: { labels: [...labels], datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: stacked } },
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  return figure;
}

/** A line chart of one or more series (a gap where a value is null), e.g. a rate against its target. */
export function lineChart(title: string, labels: readonly string[], series: readonly { label: string; values: readonly (number | null)[]; dashed?: boolean }[]): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-label', title);
  describe(canvas, labels, series, (value) => value !== null);
  figure.append(canvas, Object.assign(document.createElement('figcaption'), { textContent: title }));
  const datasets: ChartDataset<'line', (number | null)[]>[] = series.map((one, index) => {
    const colour = COLOURS[index % COLOURS.length] ?? '#2563eb';
    return { label: one.label, data: [...one.values], borderColor: colour, backgroundColor: colour, borderDash: one.dashed === true ? [6, 4] : [], pointRadius: 2, spanGaps: false };
  });
  new Chart(canvas, {
    type: 'line',
    data: { labels: [...labels], datasets },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: true } }, scales: { y: { beginAtZero: true } } },
  });
  return figure;
}

/** Destroys the charts drawn inside `root` before it is emptied: Chart.js keeps every chart until told. */
export function releaseCharts(root: Element): void {
  for (const canvas of root.querySelectorAll('canvas')) Chart.getChart(canvas)?.destroy();
}
