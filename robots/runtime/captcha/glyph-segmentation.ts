/**
 * Splits a captcha's ink coverage map into its characters, stands each one upright and lays them
 * out again in a straight, evenly spaced row. tesseract reads a straight row of upright glyphs far
 * better than a row of glyphs each rotated its own way (the sudrf style, TARGETS.md §1.5).
 */

/** A grey coverage map: `data[y * width + x]` in 0..1 (1 = ink). */
export interface Coverage {
  data: Float32Array;
  width: number;
  height: number;
}

interface Box {
  x0: number;
  x1: number;
  /** Pixel indexes belonging to this glyph. */
  pixels: number[];
}

const INK = 0.45;
// Per degree of correction, the share of score a rotation must win by (favours small corrections).
const ANGLE_PENALTY = 0.005;
// Candidate rotations (degrees) when standing a glyph upright; the sudrf digits lean up to ~20°.
const ANGLES = [-24, -20, -16, -12, -8, -4, 0, 4, 8, 12, 16, 20, 24];

/** 8-connected components of the ink, dropping specks smaller than `minPixels`. */
function components(cov: Coverage, minPixels: number): Box[] {
  const { data, width, height } = cov;
  const label = new Int32Array(width * height).fill(-1);
  const boxes: Box[] = [];
  for (let start = 0; start < data.length; start++) {
    if (data[start]! < INK || label[start] !== -1) continue;
    const pixels: number[] = [];
    const stack = [start];
    label[start] = boxes.length;
    let x0 = width;
    let x1 = -1;
    while (stack.length) {
      const p = stack.pop()!;
      pixels.push(p);
      const x = p % width;
      const y = (p - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const q = ny * width + nx;
          if (label[q] === -1 && data[q]! >= INK) {
            label[q] = boxes.length;
            stack.push(q);
          }
        }
      }
    }
    if (pixels.length >= minPixels) boxes.push({ x0, x1, pixels });
  }
  return boxes.sort((a, b) => a.x0 + a.x1 - (b.x0 + b.x1));
}

/** Slopes (px of x per px of y) of the cuts tried between touching glyphs: leaning digits overlap along a slant. */
const CUT_SLOPES = [0, -0.15, 0.15, -0.3, 0.3, -0.45, 0.45, -0.6, 0.6];

/**
 * Cuts a box between its first glyph and the rest (touching glyphs) along the line, straight or
 * slanted, that crosses the least ink around `width / parts`: two digits leaning together overlap
 * along a slant, and a vertical cut would give half of one to the other (the real «66», «90»).
 */
function split(box: Box, width: number, parts: number): [Box, Box] {
  const w = box.x1 - box.x0 + 1;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = -1;
  const ink = new Set<number>();
  for (const p of box.pixels) {
    const y = Math.floor(p / width);
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    ink.add(p);
  }
  const ymid = (y0 + y1) / 2;
  const centre = w / parts;
  let best = { cut: Math.round(centre), slope: 0, cost: Number.POSITIVE_INFINITY };
  for (const slope of CUT_SLOPES) {
    for (let c = Math.max(2, Math.round(centre * 0.6)); c <= Math.min(w - 3, Math.round(centre * 1.4)); c++) {
      let crossed = 0;
      for (let y = y0; y <= y1; y++) {
        const x = box.x0 + Math.round(c + slope * (y - ymid));
        if (ink.has(y * width + x)) crossed++;
      }
      // Favour the expected place and straight cuts on near-ties.
      const cost = crossed + 0.15 * Math.abs(c - centre) + 0.5 * Math.abs(slope);
      if (cost < best.cost) best = { cut: c, slope, cost };
    }
  }
  let leftOf = (p: number) => (p % width) - box.x0 < best.cut + best.slope * (Math.floor(p / width) - ymid);
  // A slant that leaves one side empty is no cut: fall back to the straight one at the centre.
  if (!box.pixels.some(leftOf) || box.pixels.every(leftOf)) leftOf = (p: number) => (p % width) - box.x0 < Math.round(centre);
  const left = box.pixels.filter(leftOf);
  const right = box.pixels.filter((p) => !leftOf(p));
  const span = (ps: number[]) => ps.reduce((a, p) => [Math.min(a[0]!, p % width), Math.max(a[1]!, p % width)], [width, -1]);
  const [lx0, lx1] = span(left);
  const [rx0, rx1] = span(right);
  return [
    { x0: lx0!, x1: lx1!, pixels: left },
    { x0: rx0!, x1: rx1!, pixels: right },
  ];
}

/** Splits the ink into exactly `count` glyph boxes (merging pieces, cutting touching glyphs). */
export function segmentGlyphs(cov: Coverage, count: number): Box[] | null {
  let boxes = components(cov, 6);
  if (boxes.length === 0) return null;
  // Merge pieces that overlap horizontally (a glyph broken by the line removal).
  const merged: Box[] = [];
  for (const b of boxes) {
    const last = merged[merged.length - 1];
    const overlap = last ? Math.min(last.x1, b.x1) - Math.max(last.x0, b.x0) + 1 : 0;
    const narrower = last ? Math.min(last.x1 - last.x0, b.x1 - b.x0) + 1 : 1;
    if (last && overlap >= narrower * 0.6) {
      merged[merged.length - 1] = { x0: Math.min(last.x0, b.x0), x1: Math.max(last.x1, b.x1), pixels: last.pixels.concat(b.pixels) };
    } else merged.push(b);
  }
  boxes = merged;
  // Too many: fold the smallest box into its nearest neighbour.
  while (boxes.length > count) {
    let i = 0;
    for (let k = 1; k < boxes.length; k++) if (boxes[k]!.pixels.length < boxes[i]!.pixels.length) i = k;
    const small = boxes[i]!;
    const gapLeft = i > 0 ? small.x0 - boxes[i - 1]!.x1 : Number.POSITIVE_INFINITY;
    const gapRight = i < boxes.length - 1 ? boxes[i + 1]!.x0 - small.x1 : Number.POSITIVE_INFINITY;
    const j = gapLeft <= gapRight ? i - 1 : i + 1;
    const other = boxes[j]!;
    const joined = { x0: Math.min(small.x0, other.x0), x1: Math.max(small.x1, other.x1), pixels: other.pixels.concat(small.pixels) };
    boxes.splice(Math.min(i, j), 2, joined);
  }
  // Too few: cut the widest box, as many glyphs as its width suggests.
  while (boxes.length < count) {
    const avg = boxes.reduce((s, b) => s + b.x1 - b.x0 + 1, 0) / count;
    let i = 0;
    for (let k = 1; k < boxes.length; k++) if (boxes[k]!.x1 - boxes[k]!.x0 > boxes[i]!.x1 - boxes[i]!.x0) i = k;
    const wide = boxes[i]!;
    if (wide.x1 - wide.x0 < 5) return null;
    const parts = Math.max(2, Math.min(count - boxes.length + 1, Math.round((wide.x1 - wide.x0 + 1) / avg)));
    boxes.splice(i, 1, ...split(wide, cov.width, parts));
  }
  return boxes;
}

/**
 * The rotation (degrees) that stands a glyph upright: the one whose vertical projection is the most
 * peaked (sum of squared column counts) — vertical strokes line up, round glyphs get narrowest.
 * Plain "narrowest width" fails on «4», whose diagonal makes it narrowest when tilted.
 */
function uprightAngle(points: Array<[number, number]>): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const deg of ANGLES) {
    const r = (deg * Math.PI) / 180;
    const c = Math.cos(r);
    const s = Math.sin(r);
    const cols = new Map<number, number>();
    for (const [x, y] of points) {
      const col = Math.round(x * c - y * s);
      cols.set(col, (cols.get(col) ?? 0) + 1);
    }
    let score = 0;
    for (const v of cols.values()) score += v * v;
    // Prefer small corrections on near-ties.
    score *= 1 - Math.abs(deg) * ANGLE_PENALTY;
    if (score > bestScore) {
      bestScore = score;
      best = deg;
    }
  }
  return best;
}

/**
 * Cuts the ink into `count` glyphs and stands each upright, cropped to its ink; null when the ink
 * cannot be cut into `count` glyphs.
 */
export function uprightGlyphs(cov: Coverage, count: number): Coverage[] | null {
  const boxes = segmentGlyphs(cov, count);
  if (!boxes) return null;
  const glyphs: Coverage[] = [];
  for (const box of boxes) {
    const own = new Set(box.pixels);
    let cx = 0;
    let cy = 0;
    let n = 0;
    const points: Array<[number, number]> = [];
    for (const p of box.pixels) {
      const x = p % cov.width;
      const y = (p - x) / cov.width;
      points.push([x, y]);
      cx += x;
      cy += y;
      n++;
    }
    cx /= n;
    cy /= n;
    const deg = uprightAngle(points.map(([x, y]) => [x - cx, y - cy]));
    const r = (deg * Math.PI) / 180;
    const c = Math.cos(r);
    const s = Math.sin(r);
    // Inverse mapping with bilinear sampling of this glyph's own pixels (plus their soft edges).
    const size = 32;
    const half = size / 2;
    const out = new Float32Array(size * size);
    const sample = (x: number, y: number): number => {
      const xi = Math.round(x);
      const yi = Math.round(y);
      if (xi < 0 || yi < 0 || xi >= cov.width || yi >= cov.height) return 0;
      const idx = yi * cov.width + xi;
      // Keep this glyph's ink and the anti-aliased fringe near it, not a neighbour's strokes.
      if (own.has(idx)) return cov.data[idx]!;
      return cov.data[idx]! < INK && xi >= box.x0 - 1 && xi <= box.x1 + 1 ? cov.data[idx]! : 0;
    };
    let minX = size;
    let maxX = -1;
    let minY = size;
    let maxY = -1;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x - half;
        const dy = y - half;
        // Rotating the output by `deg` = sampling the source at the inverse rotation.
        const sx = cx + dx * c + dy * s;
        const sy = cy - dx * s + dy * c;
        const v = sample(sx, sy);
        out[y * size + x] = v;
        if (v >= INK) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
    if (maxX < 0) continue;
    const gw = maxX - minX + 1;
    const gh = maxY - minY + 1;
    const g = new Float32Array(gw * gh);
    for (let y = 0; y < gh; y++) for (let x = 0; x < gw; x++) g[y * gw + x] = out[(y + minY) * size + x + minX]!;
    glyphs.push({ data: g, width: gw, height: gh });
  }
  return glyphs.length === count ? glyphs : null;
}

/**
 * Re-lays the glyphs upright in one row: returns a new coverage map (glyphs `gap` px apart,
 * bottom-aligned), or null when the ink cannot be cut into `count` glyphs.
 */
export function straightenGlyphs(cov: Coverage, count: number, gap = 8): Coverage | null {
  const glyphs = uprightGlyphs(cov, count);
  if (!glyphs) return null;
  const height = Math.max(...glyphs.map((g) => g.height)) + 8;
  const width = glyphs.reduce((s, g) => s + g.width, 0) + gap * (count + 1);
  const data = new Float32Array(width * height);
  let x0 = gap;
  for (const g of glyphs) {
    // Bottom-align: digits share a baseline; tesseract's line finder likes a flat baseline.
    const y0 = height - 4 - g.height;
    for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) data[(y0 + y) * width + x0 + x] = g.data[y * g.width + x]!;
    x0 += g.width + gap;
  }
  return { data, width, height };
}
