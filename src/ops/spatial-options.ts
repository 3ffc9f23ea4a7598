/**
 * Runtime checks of the conv and pool options, made on entry so that a fractional, NaN,
 * negative or zero value is an error naming the public op and the option (the shape rules
 * would otherwise compute fractional sizes, or report a symptom such as a dilated kernel).
 */
type Rule = 'positive' | 'nonNegative';

function checkNumber(op: string, name: string, v: unknown, rule: Rule): void {
  const shown = typeof v === 'string' ? JSON.stringify(v) : String(v);
  const integer = typeof v === 'number' && Number.isSafeInteger(v);
  if (rule === 'nonNegative' && !(integer && v >= 0))
    throw new Error(`${op}: ${name} ${shown} must be a non-negative integer`);
  if (rule === 'positive' && !integer) throw new Error(`${op}: ${name} ${shown} is not an integer`);
  if (rule === 'positive' && !((v as number) >= 1))
    throw new Error(`${op}: ${name} ${shown} is not positive`);
}

/** A per-axis option: one integer, or an array of them. */
function checkPerAxis(op: string, name: string, v: unknown, rule: Rule): void {
  if (v === undefined) return;
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      checkNumber(op, `${name}[${i}]`, e, rule);
    });
    return;
  }
  checkNumber(op, name, v, rule);
}

function checkPadding(op: string, v: unknown): void {
  if (v === undefined || v === 'valid' || v === 'same') return;
  if (typeof v === 'string')
    throw new Error(
      `${op}: padding must be 'valid', 'same', a number or per-axis numbers, got ${JSON.stringify(v)}`,
    );
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      const pair: unknown[] = Array.isArray(e) ? e : [e];
      pair.forEach((p, j) => {
        checkNumber(op, Array.isArray(e) ? `padding[${i}][${j}]` : `padding[${i}]`, p, 'nonNegative');
      });
    });
    return;
  }
  checkNumber(op, 'padding', v, 'nonNegative');
}

function checkOptionsObject(op: string, opts: unknown): Record<string, unknown> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts))
    throw new Error(`${op}: options must be an object, got ${String(opts)}`);
  return opts as Record<string, unknown>;
}

/** conv1d/conv2d/convTranspose2d options. */
export function checkConvOptions(op: string, opts: unknown): void {
  const o = checkOptionsObject(op, opts);
  checkPerAxis(op, 'stride', o.stride, 'positive');
  checkPerAxis(op, 'dilation', o.dilation, 'positive');
  if (o.groups !== undefined) checkNumber(op, 'groups', o.groups, 'positive');
  if (o.outputPadding !== undefined) checkPerAxis(op, 'outputPadding', o.outputPadding, 'nonNegative');
  checkPadding(op, o.padding);
}

/** maxPool/avgPool options (1-, 2- and 3-d). */
export function checkPoolOptions(op: string, opts: unknown): void {
  const o = checkOptionsObject(op, opts);
  if (o.window === undefined) throw new Error(`${op}: options.window is required`);
  checkPerAxis(op, 'window', o.window, 'positive');
  checkPerAxis(op, 'stride', o.stride, 'positive');
  checkPerAxis(op, 'dilation', o.dilation, 'positive');
  checkPadding(op, o.padding);
}
