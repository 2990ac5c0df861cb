// A small live line chart on a canvas: two series (bitrate in/out), autoscaled, last N samples.
export class LiveChart {
  #canvas; #series; #max;

  constructor(canvas, { samples = 60, colors = ['#4f7cff', '#2ecc71'] } = {}) {
    this.#canvas = canvas;
    this.#max = samples;
    this.#series = colors.map((color) => ({ color, values: [] }));
    // Drawn while hidden (a closed tab) the canvas would be 1x1 and scale up as a block: redraw on resize.
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  push(...values) {
    values.forEach((v, i) => {
      const s = this.#series[i];
      if (!s) return;
      s.values.push(Number.isFinite(v) ? v : 0);
      if (s.values.length > this.#max) s.values.shift();
    });
    this.#canvas.dataset.samples = String(this.#series[0]?.values.length ?? 0);
    this.draw();
  }

  draw() {
    const c = this.#canvas;
    if (c.clientWidth === 0 || c.clientHeight === 0) return; // hidden: nothing to draw on
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const g = c.getContext('2d');
    g.clearRect(0, 0, w, h);
    g.strokeStyle = 'rgba(255,255,255,0.07)';
    g.lineWidth = 1;
    for (let i = 1; i < 4; i++) {
      const y = Math.round((h * i) / 4) + 0.5;
      g.beginPath(); g.moveTo(0, y); g.lineTo(w, y); g.stroke();
    }
    const top = Math.max(1, ...this.#series.flatMap((s) => s.values)) * 1.15;
    for (const s of this.#series) {
      if (s.values.length < 2) continue;
      g.strokeStyle = s.color;
      g.lineWidth = 1.5 * dpr;
      g.beginPath();
      s.values.forEach((v, i) => {
        const x = (w * (i + this.#max - s.values.length)) / (this.#max - 1);
        const y = h - (h * v) / top;
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
      if (s === this.#series[0]) { // a light area under the first series (bitrate in)
        g.lineTo(w, h);
        g.lineTo((w * (this.#max - s.values.length)) / (this.#max - 1), h);
        g.closePath();
        g.globalAlpha = 0.15;
        g.fillStyle = s.color;
        g.fill();
        g.globalAlpha = 1;
      }
    }
  }
}

export function formatBitrate(bps) {
  if (!Number.isFinite(bps)) return '–';
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mb/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(0)} kb/s`;
  return `${Math.round(bps)} b/s`;
}

export function formatBytes(n) {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} KiB`;
  return `${n} B`;
}
