#!/usr/bin/env node
// Draws PastDueBot's Teams icons: a payment card with an overdue clock.
//   node draw-icons.mjs [out-dir]   (default: the manifest folder)
// color.png: 192×192, full colour. outline.png: 32×32, white on transparent, as Teams requires.
// Shapes are signed-distance functions sampled 4×4 per pixel, so the output is anti-aliased and byte-for-byte
// reproducible (pngjs, fixed compression settings).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? path.join(here, "..");

export const accent = [0x3a, 0x3f, 0x9e]; // indigo; also the manifest's accentColor #3A3F9E
const white = [0xff, 0xff, 0xff];
const red = [0xd1, 0x34, 0x38];
const gold = [0xf2, 0xb8, 0x4b];

// Signed distances: negative inside.
const roundRect = (cx, cy, hw, hh, r) => (x, y) => {
  const qx = Math.abs(x - cx) - hw + r, qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const segment = (ax, ay, bx, by, width) => (x, y) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - width / 2;
};
const stroke = (shape, width) => (x, y) => Math.abs(shape(x, y)) - width / 2;
const union = (...shapes) => (x, y) => Math.min(...shapes.map((s) => s(x, y)));
const subtract = (shape, cut) => (x, y) => Math.max(shape(x, y), -cut(x, y));
const intersect = (a, b) => (x, y) => Math.max(a(x, y), b(x, y));

// Paints layers back to front; each layer is [shape, rgb]. Returns an RGBA PNG.
function draw(size, layers, background) {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = background ? [...background, 1] : [0, 0, 0, 0];
      for (const [shape, rgb] of layers) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            if (shape(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples) < 0) hits++;
          }
        }
        const cover = hits / (samples * samples);
        if (cover === 0) continue;
        // "over" compositing of a solid colour with coverage `cover`.
        const outA = cover + a * (1 - cover);
        [r, g, b] = [0, 1, 2].map((i) => (rgb[i] * cover + [r, g, b][i] * a * (1 - cover)) / outA);
        a = outA;
      }
      const i = (py * size + px) * 4;
      png.data[i] = Math.round(r);
      png.data[i + 1] = Math.round(g);
      png.data[i + 2] = Math.round(b);
      png.data[i + 3] = Math.round(a * 255);
    }
  }
  return PNG.sync.write(png, { colorType: 6, deflateLevel: 9, filterType: 4 });
}

function colorIcon() {
  const card = roundRect(82, 88, 58, 40, 10);
  const stripe = intersect(card, (x, y) => Math.abs(y - 70) - 8);
  const chip = roundRect(50, 104, 11, 8, 3);
  const clock = [134, 126];
  return draw(192, [
    [card, white],
    [stripe, accent],
    [chip, gold],
    [circle(...clock, 42), white],
    [circle(...clock, 35), red],
    [segment(...clock, clock[0], clock[1] - 22, 7), white],
    [segment(...clock, clock[0] + 16, clock[1], 7), white],
  ], accent);
}

function outlineIcon() {
  const clock = [23, 22];
  const card = roundRect(13.5, 14, 11.5, 8, 2.5);
  const cardLines = union(stroke(card, 2), intersect(card, (x, y) => Math.abs(y - 11) - 1));
  const gap = circle(...clock, 8.5); // keeps the clock visibly apart from the card's edge
  const clockShape = union(
    stroke(circle(...clock, 6.5), 2),
    segment(...clock, clock[0], clock[1] - 4, 1.8),
    segment(...clock, clock[0] + 3, clock[1], 1.8),
  );
  return draw(32, [[union(subtract(cardLines, gap), clockShape), white]]);
}

writeFileSync(path.join(outDir, "color.png"), colorIcon());
writeFileSync(path.join(outDir, "outline.png"), outlineIcon());
console.log(`wrote ${path.join(outDir, "color.png")} and ${path.join(outDir, "outline.png")}`);
